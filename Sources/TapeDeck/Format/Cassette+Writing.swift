public import Foundation

extension Cassette {
    /// The whole cassette as a `.tape` file's bytes: one gzip member of all lines.
    ///
    /// Deterministic: the same cassette always gives the same bytes (no time stamp, no file name
    /// in the gzip header, fixed key order), so re-recording without a change makes no git diff.
    public func fileData() -> Data {
        Data(Gzip.compress(encodedLines()))
    }

    /// Writes the cassette to `url` as one gzip member, atomically (temporary file, fsync,
    /// rename): a crash leaves the old file or the new one, never a mix.
    public func write(to url: URL) throws(TapeDeckError) {
        for interaction in interactions { try interaction.validate(in: url.path) }
        try FileIO.replaceAtomically(url.path, with: Gzip.compress(encodedLines()))
    }

    /// Rewrites the cassette at `url` as a single gzip member (appends leave one member per
    /// interaction). A cut-short file is repaired on the way: the complete interactions are kept.
    ///
    /// - Parameters:
    ///   - url: the cassette file.
    ///   - limits: how much the file may inflate to (see ``CassetteLimits``).
    /// - Returns: the warnings from loading the file, if it was damaged.
    @discardableResult
    public static func compact(at url: URL, limits: CassetteLimits? = nil) throws(TapeDeckError) -> [CassetteWarning] {
        let cassette = try Cassette(contentsOf: url, limits: limits)
        try cassette.write(to: url)
        return cassette.warnings
    }
}
