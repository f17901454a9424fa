public import Foundation

/// Adds interactions to a cassette file one at a time, each as its own gzip member, so an
/// append costs the same for a cassette of 10 interactions as for one of 10,000, and a
/// process killed at any moment leaves every finished append loadable.
///
/// Safe to use from many threads; appends are written in the order the calls are made.
///
/// ```swift
/// let appender = try CassetteAppender(creating: url, name: "deepseek-models")
/// try appender.append(interaction)
/// try appender.close()
/// try Cassette.compact(at: url)   // one member, for the commit
/// ```
public final class CassetteAppender: Sendable {
    /// The cassette file.
    public let url: URL
    /// Damage found in an existing file opened for appending (it was repaired first).
    public let warnings: [CassetteWarning]
    private let descriptor: Locked<Int32>
    /// One deflate stream for every member (see ``Gzip/Deflater``).
    private let deflater = Locked(Gzip.Deflater())

    /// Creates a new cassette at `url` holding only its header.
    ///
    /// - Parameters:
    ///   - url: where to write.
    ///   - name: the cassette's name (defaults to the file name without `.tape`).
    ///   - overwrite: replace an existing file; without it an existing file is refused.
    public init(creating url: URL, name: String? = nil, overwrite: Bool = false) throws(TapeDeckError) {
        let path = url.path
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw TapeDeckError(.fileSystem, file: path, reason: "the cassette already exists; append to it or overwrite it explicitly")
            }
            throw FileIO.failure("cannot create the cassette", path)
        }
        let header = Cassette(name: name ?? Cassette.name(fromPath: path)).encodedHeader() + [0x0a]
        do throws(TapeDeckError) {
            try FileIO.writeAll(descriptor, Gzip.compress(header), path: path)
        } catch {
            Foundation.close(descriptor)
            throw error
        }
        self.url = url
        self.warnings = []
        self.descriptor = Locked(descriptor)
    }

    /// Opens an existing cassette to add to it. The file is loaded once to check it; a file cut
    /// short by a crash is first rewritten with its complete interactions (see ``warnings``),
    /// so new members never follow a broken one.
    ///
    /// - Parameters:
    ///   - url: the cassette file.
    ///   - limits: how much the file may inflate to (see ``CassetteLimits``).
    public init(appendingTo url: URL, limits: CassetteLimits? = nil) throws(TapeDeckError) {
        let path = url.path
        let existing = try Cassette(contentsOf: url, limits: limits)
        if !existing.warnings.isEmpty {
            try existing.write(to: url)
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIO.failure("cannot open the cassette for appending", path) }
        self.url = url
        self.warnings = existing.warnings
        self.descriptor = Locked(descriptor)
    }

    deinit {
        descriptor.withLock { if $0 >= 0 { Foundation.close($0) } }
    }

    /// Appends one interaction as one gzip member. The caller redacts it first (``Redactor``).
    ///
    /// - Throws: ``TapeDeckError/Kind/invalidField`` for an interaction that could not be read
    ///   back (chunk sizes that do not add up to the body), before anything is written.
    public func append(_ interaction: Interaction) throws(TapeDeckError) {
        try interaction.validate(in: url.path)
        var line = interaction.encodedLine()
        line.append(0x0a)
        let member = deflater.withLock { $0.member(line) }
        let path = url.path
        try descriptor.withLock { (descriptor) throws(TapeDeckError) in
            guard descriptor >= 0 else { throw TapeDeckError(.fileSystem, file: path, reason: "the appender is closed") }
            try FileIO.writeAll(descriptor, member, path: path)
        }
    }

    /// Flushes the file to disk (fsync). Appends are visible to readers without it; this makes
    /// them survive a power loss too.
    public func sync() throws(TapeDeckError) {
        let path = url.path
        try descriptor.withLock { (descriptor) throws(TapeDeckError) in
            guard descriptor < 0 || fsync(descriptor) == 0 else { throw FileIO.failure("cannot flush the cassette", path) }
        }
    }

    /// Flushes and closes the file. Further appends throw.
    public func close() throws(TapeDeckError) {
        try sync()
        descriptor.withLock { descriptor in
            if descriptor >= 0 { Foundation.close(descriptor) }
            descriptor = -1
        }
    }
}
