public import Foundation

/// A response as a cassette keeps it: status, headers, the decoded body, and for a streamed
/// answer the chunks it arrived in.
public struct RecordedResponse: Hashable, Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The headers, in order, credential headers removed. Never a `Content-Encoding`:
    /// bodies are stored decoded.
    public var headers: HTTPHeaders
    /// The decoded body's exact bytes.
    public var body: Data
    /// For a streamed response (e.g. `text/event-stream`), how the body arrived: consecutive
    /// pieces whose sizes add up to `body.count`. `nil` for a response read whole.
    public var chunks: [ResponseChunk]?
    /// The credentials removed from this response (e.g. `header:set-cookie`).
    public var redacted: [CredentialKind]

    /// A response.
    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data(), chunks: [ResponseChunk]? = nil, redacted: [CredentialKind] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.chunks = chunks
        self.redacted = redacted
    }

    /// The body cut into its recorded chunks, or one piece when it was not streamed.
    public var bodyPieces: [(data: Data, milliseconds: Int)] {
        guard let chunks, !chunks.isEmpty else { return [(body, 0)] }
        var start = body.startIndex
        return chunks.map { chunk in
            let end = min(start + chunk.size, body.endIndex)
            defer { start = end }
            return (body[start..<end], chunk.milliseconds)
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
}
