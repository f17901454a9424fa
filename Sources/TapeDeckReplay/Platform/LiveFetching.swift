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
    ///
    /// - Parameters:
    ///   - transportDecoded: whether the transport may already have decoded the body while
    ///     keeping its `Content-Encoding` (URLSession does, on every platform). Then a body whose
    ///     bytes no longer carry that coding is taken as decoded and the headers that described
    ///     the encoded bytes are dropped.
    static func stored(status: Int, headers received: HTTPHeaders, pieces: [(data: Data, milliseconds: Int)], transportDecoded: Bool = false,
                       label: String, cassette: String) -> RecordedResponse {
        let body = Data(pieces.map(\.data).joined())
        var headers = received
        if transportDecoded, let outermost = ContentCoding.layers(headers.values(named: "Content-Encoding").joined(separator: ", ")).last,
           ContentCoding.isStillEncoded(body, coding: outermost) == false {
            headers.removeAll(named: "Content-Encoding")
            headers.removeAll(named: "Content-Length")
        }
        let (response, warning) = RecordedResponse.captured(status: status, headers: headers, body: body,
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
