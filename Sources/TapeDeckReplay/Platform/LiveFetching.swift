import Foundation
import TapeDeck

/// Sends a request to the real upstream while recording, from inside `startLoading`, and
/// returns the response as the cassette should store it (decoded, with chunk timing).
protocol LiveFetching: Sendable {
    func fetch(_ request: RecordedRequest, cassette: String) throws(ReplayError) -> RecordedResponse
}

enum LiveFetchers {
    /// The fetcher for this platform: a plain `URLSession` where waiting for one inside a
    /// URLProtocol is safe (Apple), the `curl` command where it deadlocks (Linux).
    static func forCurrentPlatform() -> any LiveFetching {
        #if os(macOS) || os(Linux)
        if FoundationFlavor.current.waitsOnSharedQueue { return CurlFetcher() }
        #endif
        return SessionFetcher()
    }

    /// The response a cassette stores: decoded from its content coding (a body that cannot be
    /// decoded is kept, marked, and reported on standard error, since it was not scrubbed).
    static func stored(status: Int, headers: HTTPHeaders, pieces: [(data: Data, milliseconds: Int)], label: String, cassette: String) -> RecordedResponse {
        let (response, warning) = RecordedResponse.captured(status: status, headers: headers, body: Data(pieces.map(\.data).joined()),
                                                            chunks: pieces.map { ResponseChunk(size: $0.data.count, milliseconds: $0.milliseconds) })
        if let warning {
            FileHandle.standardError.write(Data("tapedeck: WARNING: \(label) recorded into \(cassette): \(warning)\n".utf8))
        }
        return response
    }

    /// Headers a fetcher does not forward: the transport sets its own framing, and asking for
    /// no content coding keeps answers decodable.
    static let skippedRequestHeaders: Set<String> = HTTPHeaders.unforwardedRequestNames.union(["accept-encoding"])
}
