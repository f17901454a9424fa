public import Foundation

extension Cassette {
    /// Loads a `.tape` file.
    ///
    /// A file cut short (a recorder killed mid-write) loads with every complete interaction
    /// before the cut, and ``warnings`` names the file and the byte offset of the damage.
    /// Anything else wrong throws a ``TapeDeckError`` naming the file, the line and the reason.
    ///
    /// - Parameters:
    ///   - url: the cassette file.
    ///   - limits: how much the file may inflate to; by default ``CassetteLimits/current(_:)``
    ///     (1 GiB unless `TAPEDECK_MAX_CASSETTE_BYTES` says otherwise).
    public init(contentsOf url: URL, limits: CassetteLimits? = nil) throws(TapeDeckError) {
        let path = url.path
        let inForce: CassetteLimits
        if let limits { inForce = limits } else { inForce = try CassetteLimits.current() }
        let data = try FileIO.readFile(path, what: "cassette", limit: inForce.maximumRawBytes)
        self = try Cassette(gzipData: data, path: path, limits: inForce)
    }

    /// Decodes a cassette from the bytes of a `.tape` file; `path` names it in errors and warnings.
    package init(gzipData data: Data, path: String, limits: CassetteLimits = CassetteLimits()) throws(TapeDeckError) {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(TapeDeckError) in try Gzip.decompress(raw, limit: limits.maximumRawBytes) }
        }
        let inflated: Gzip.Inflated
        do throws(TapeDeckError) {
            inflated = try result.get()
        } catch {
            throw error.kind == .tooLarge ? limits.tooLarge(path) : error.at(file: path)
        }
        self = try Cassette(lines: inflated.bytes, truncation: inflated.truncation, path: path)
        withExtendedLifetime(inflated) {}
    }

    /// Decodes the decompressed JSON Lines. With `truncation`, the text after the last newline is
    /// an incomplete line that is dropped with a warning instead of parsed.
    ///
    /// The header is read first; the interaction lines of a large file are then parsed in pieces
    /// on every core (``LinePieces``), and the pieces joined in file order. The first bad line in
    /// the file is the one reported, with its line number, as when parsing one line at a time.
    private init(lines bytes: UnsafeBufferPointer<UInt8>, truncation: Gzip.Inflated.Truncation?, path: String) throws(TapeDeckError) {
        let failure = { (problem: LineDecoder.Problem, line: Int) in TapeDeckError(problem.kind, file: path, line: line, reason: problem.reason) }
        let complete = LinePieces.completeLinesEnd(bytes)
        var header: (name: String, writer: String)?
        var lineNumber = 0
        var start = 0
        // The header: the first line that is not blank.
        while header == nil, start < complete {
            let end = LinePieces.lineEnd(bytes, from: start)
            lineNumber += 1
            do throws(LineDecoder.Problem) {
                header = try LineDecoder.header(line: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            } catch {
                throw failure(error, lineNumber)
            }
            start = end + 1
        }
        var interactions: [Interaction] = []
        for piece in LinePieces.parse(UnsafeBufferPointer(rebasing: bytes[start..<complete])) {
            if let bad = piece.failure { throw failure(bad.problem, lineNumber + bad.line) }
            interactions.append(contentsOf: piece.interactions)
            lineNumber += piece.lines
        }

        var warnings: [CassetteWarning] = []
        let tail = bytes.count - complete
        if let truncation {
            var message = "the file is cut short at byte \(truncation.inputSize) (the gzip member starting at byte \(truncation.memberOffset) is incomplete)"
            if tail > 0 { message += "; an incomplete line of \(tail) bytes was dropped" }
            message += "; \(interactions.count) complete interaction\(interactions.count == 1 ? "" : "s") loaded"
            if header == nil { message += "; the header line was lost, the name is taken from the file name" }
            warnings.append(CassetteWarning(file: path, offset: truncation.memberOffset, message: message))
        } else if tail > 0 {
            // A whole stream whose last line has no newline: a hand-written file, not damage.
            let line = UnsafeBufferPointer(rebasing: bytes[complete...])
            do throws(LineDecoder.Problem) {
                if header == nil {
                    header = try LineDecoder.header(line: line)
                } else if let interaction = try LineDecoder.interaction(line: line) {
                    interactions.append(interaction)
                }
            } catch {
                throw failure(error, lineNumber + 1)
            }
        }

        guard let header = header ?? (truncation != nil ? (Self.name(fromPath: path), "unknown") : nil) else {
            throw TapeDeckError(.missingHeader, file: path, line: 1, reason: "the cassette is empty: it has no header line")
        }
        self.init(name: header.name, interactions: interactions, writer: header.writer)
        self.warnings = warnings
    }

    /// `cassettes/deepseek-models.tape` -> `deepseek-models`.
    package static func name(fromPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".tape") ? String(file.dropLast(5)) : file
    }
}
