import Foundation
import NIOCore
package import NIOHTTP1
package import TapeDeck

/// One exchange through the recording proxy, without I/O: which headers cross the proxy, the
/// request as the cassette records it (made once, on arrival), and the answer gathered as it
/// streams through.
package struct ExchangeRecording: Sendable {
    /// The request as the cassette records it, before redaction.
    package let request: RecordedRequest
    /// The answer, gathered as it arrives.
    package var response = ResponseCapture()

    /// - Parameters:
    ///   - received: the client's request as the server received it (``ServerRequest/received(url:)``,
    ///     made once per exchange); its URL is replaced, its body shared, not copied.
    ///   - requestTarget: the client's request target, e.g. `/models?x=1`.
    ///   - upstream: where the request goes.
    ///   - recordAs: another base URL to record instead of the upstream's (for a stand-in
    ///     upstream such as `tapedeck example-upstream` playing the real API).
    package init(received: RecordedRequest, requestTarget: String, upstream: UpstreamTarget, recordAs: String? = nil) {
        request = Self.recordedRequest(received, requestTarget: requestTarget, upstream: upstream, recordAs: recordAs)
    }

    /// The interaction to store (before redaction) and a warning when the answer's body could
    /// not be decoded; the body moves into the interaction (see ``ResponseCapture/take()``).
    package mutating func takeInteraction() -> (interaction: Interaction, warning: String?) {
        let (response, warning) = response.take()
        return (Interaction(request: request, response: response), warning)
    }

    /// The headers the upstream gets: the client's, less hop-by-hop ones and those the upstream
    /// client sets itself (`Host`, the body's length), with an `Accept-Encoding` that offers
    /// only codings the recorder can decode (an answer it could not decode could not be scrubbed).
    package static func forwardedHeaders(_ client: NIOHTTP1.HTTPHeaders) -> NIOHTTP1.HTTPHeaders {
        var headers = NIOHTTP1.HTTPHeaders()
        for (name, value) in client where !dropped(name, extra: ["proxy-authorization", "accept-encoding"]) {
            headers.add(name: name, value: value)
        }
        let offered = client[canonicalForm: "Accept-Encoding"].map(String.init)
        if !offered.isEmpty, let acceptable = ContentCoding.acceptable(offered.joined(separator: ", ")) {
            headers.add(name: "Accept-Encoding", value: acceptable)
        }
        return headers
    }

    /// The headers the client gets: the upstream's, less hop-by-hop ones (NIO frames the body).
    package static func clientHeaders(_ upstream: NIOHTTP1.HTTPHeaders) -> NIOHTTP1.HTTPHeaders {
        var headers = NIOHTTP1.HTTPHeaders()
        for (name, value) in upstream where !TapeDeck.HTTPHeaders.hopByHopNames.contains(name.asciiLowercased) { headers.add(name: name, value: value) }
        return headers
    }

    /// The request as the cassette records it (before redaction): the upstream URL (or the
    /// `recordAs` base in its place), the client's headers less those not forwarded, the body.
    static func recordedRequest(_ received: RecordedRequest, requestTarget: String, upstream: UpstreamTarget, recordAs: String?) -> RecordedRequest {
        let url = recordAs.map { base in (base.hasSuffix("/") ? String(base.dropLast()) : base) + (requestTarget.hasPrefix("/") ? requestTarget : "/" + requestTarget) }
            ?? upstream.url(for: requestTarget)
        var headers = received.headers
        headers.removeAll { dropped($0.name, extra: []) }
        return RecordedRequest(method: received.method, url: url, headers: headers, body: received.body)
    }

    private static func dropped(_ name: String, extra: Set<String>) -> Bool {
        let lower = name.asciiLowercased
        return TapeDeck.HTTPHeaders.unforwardedRequestNames.contains(lower) || extra.contains(lower)
    }
}
