package import Foundation

extension RecordedResponse {
    /// A response as it came off the wire, made into what a cassette stores: hop-by-hop headers
    /// dropped, every content coding undone (``decodedForStorage(limit:)``), and the chunk timing
    /// kept only for an event stream (`text/event-stream`), the one kind of answer replay paces.
    ///
    /// The one normalisation the proxy, the replay library's recorders and drift share.
    ///
    /// - Parameters:
    ///   - chunks: the pieces the body arrived in, and when.
    /// - Returns: the response to redact and store, and a warning when the body could not be
    ///   decoded (it is then stored as it came, marked, and was not scrubbed).
    ///   - limit: the most bytes a decoded body may inflate to (a bomb is refused, not stored).
    package static func captured(status: Int, headers: HTTPHeaders, body: Data, chunks: [ResponseChunk],
                                 limit: Int = CassetteLimits.defaultMaximumRawBytes) -> (response: RecordedResponse, warning: String?) {
        var kept = headers
        kept.removeAll { HTTPHeaders.hopByHopNames.contains($0.name.asciiLowercased) }
        let streamed = kept["Content-Type"]?.asciiLowercased.hasPrefix("text/event-stream") == true
        return RecordedResponse(status: status, headers: kept, body: body, chunks: streamed ? chunks : nil).decodedForStorage(limit: limit)
    }
}
