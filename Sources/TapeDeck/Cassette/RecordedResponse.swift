public import Foundation

/// A response as a cassette keeps it: status, headers, the decoded body, and for a streamed
/// answer the chunks it arrived in.
public struct RecordedResponse: Hashable, Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The headers, in order, credential headers removed. No `Content-Encoding`: bodies are
    /// stored decoded (unless ``undecodedEncoding`` says decoding failed).
    public var headers: HTTPHeaders
    /// The decoded body's exact bytes.
    public var body: Data
    /// For a streamed response (e.g. `text/event-stream`), how the body arrived: consecutive
    /// pieces whose sizes add up to `body.count`. `nil` for a response read whole.
    public var chunks: [ResponseChunk]?
    /// The credentials removed from this response (e.g. `header:set-cookie`).
    public var redacted: [CredentialKind]
    /// Set when the body is stored still encoded (e.g. `br`) because it could not be decoded:
    /// such a body was not searched for credentials, and `tapedeck verify` reports it.
    public var undecodedEncoding: String?

    /// A response.
    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data(), chunks: [ResponseChunk]? = nil, redacted: [CredentialKind] = [],
                undecodedEncoding: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.chunks = chunks
        self.redacted = redacted
        self.undecodedEncoding = undecodedEncoding
    }

    /// The body cut into its recorded chunks, or one piece when it was not streamed. Chunks
    /// that do not add up to the body (only an in-memory cassette can have them) are clamped.
    public var bodyPieces: [(data: Data, milliseconds: Int)] {
        guard let chunks, !chunks.isEmpty else { return [(body, 0)] }
        var start = body.startIndex
        return chunks.map { chunk in
            let room = body.endIndex - start
            let end = start + min(max(0, chunk.size), room)
            defer { start = end }
            return (body[start..<end], max(0, chunk.milliseconds))
        }
    }
}

/// One piece of a streamed response body.
public struct ResponseChunk: Hashable, Sendable {
    /// The piece's length in bytes.
    public var size: Int
    /// When it arrived, in milliseconds after the response head.
    public var milliseconds: Int

    /// A piece of `size` bytes that arrived `milliseconds` after the response head.
    public init(size: Int, milliseconds: Int) {
        self.size = size
        self.milliseconds = milliseconds
    }

    /// Whether `chunks` are non-negative and add up to exactly `bodySize`, in checked arithmetic.
    package static func covers(_ chunks: [ResponseChunk], bodySize: Int) -> Bool {
        var total = 0
        for chunk in chunks {
            guard chunk.size >= 0, chunk.milliseconds >= 0 else { return false }
            let (sum, overflow) = total.addingReportingOverflow(chunk.size)
            guard !overflow, sum <= bodySize else { return false }
            total = sum
        }
        return total == bodySize
    }

    /// Milliseconds from `start` until now: how chunk times are measured while recording.
    package static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        Int((ContinuousClock.now - start).wholeMilliseconds)
    }

    /// The longest pause replay ever makes before one piece: 10 minutes, whatever the file says.
    package static let longestPause: Duration = .seconds(600)

    /// How long to wait before a piece recorded at `milliseconds`, when `elapsed` milliseconds
    /// of recorded time have already been replayed, at `scale` (0 = no waiting). Clamped to
    /// ``longestPause``; a non-finite or negative scale waits not at all.
    package static func pause(before milliseconds: Int, after elapsed: Int, scale: Double) -> Duration {
        guard scale.isFinite, scale > 0, milliseconds > elapsed else { return .zero }
        let gap = Double(milliseconds) - Double(elapsed)
        let scaled = gap * scale
        guard scaled.isFinite, scaled < 600_000 else { return longestPause }
        return .milliseconds(Int(scaled.rounded()))
    }
}

/// Paces a recorded answer's pieces as they were recorded: the pause before each piece, its
/// recorded time after the one before, times `scale` (0: none). One pacer for the URLProtocol and
/// the replay server.
package struct ChunkPacer: Sendable {
    private let scale: Double
    private var elapsed = 0

    package init(scale: Double) {
        self.scale = scale
    }

    /// The pause before the piece recorded at `milliseconds`; moves the pacer past it.
    package mutating func pause(before milliseconds: Int) -> Duration {
        defer { elapsed = max(elapsed, milliseconds) }
        return ResponseChunk.pause(before: milliseconds, after: elapsed, scale: scale)
    }
}
