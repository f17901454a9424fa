package import Foundation
package import NIOCore
package import NIOHTTP1
package import TapeDeck

/// One exchange through the recording proxy, without I/O: which headers cross the proxy, the
/// request as the cassette records it (made once, on arrival), and the answer gathered as it
/// streams through (one growing body, so a large answer is held once, not piece by piece).
package struct ExchangeRecording: Sendable {
    /// The request as the cassette records it, before redaction.
    package let request: RecordedRequest
    package private(set) var status = 0
    package private(set) var responseHeaders = TapeDeck.HTTPHeaders()
    package private(set) var body = Data()
    package private(set) var chunks: [ResponseChunk] = []
    private var headArrived = ContinuousClock.now

    /// - Parameters:
    ///   - requestTarget: the client's request target, e.g. `/models?x=1`.
    ///   - upstream: where the request goes.
    ///   - recordAs: another base URL to record instead of the upstream's (for a stand-in
    ///     upstream such as `tapedeck example-upstream` playing the real API).
    package init(method: String, requestTarget: String, requestHeaders: NIOHTTP1.HTTPHeaders, requestBody: ByteBuffer,
                 upstream: UpstreamTarget, recordAs: String? = nil) {
        request = Self.recordedRequest(method: method, requestTarget: requestTarget, requestHeaders: requestHeaders, requestBody: requestBody,
                                       upstream: upstream, recordAs: recordAs)
    }

    /// The upstream's response head arrived.
    package mutating func received(status: Int, headers: NIOHTTP1.HTTPHeaders) {
        self.status = status
        responseHeaders = TapeDeck.HTTPHeaders(headers.map { ($0.name, $0.value) })
        headArrived = .now
    }

    /// A piece of the body arrived (now).
    package mutating func received(_ piece: ByteBuffer) {
        received(piece, milliseconds: ResponseChunk.milliseconds(since: headArrived))
    }

    /// A piece of the body that arrived `milliseconds` after the head.
    package mutating func received(_ piece: ByteBuffer, milliseconds: Int) {
        body.append(contentsOf: piece.readableBytesView)
        chunks.append(ResponseChunk(size: piece.readableBytes, milliseconds: milliseconds))
    }

    /// The interaction to store (before redaction), made by the core's one normalisation
    /// (``RecordedResponse/captured(status:headers:body:chunks:)``), and a warning when the body
    /// could not be decoded (it is then stored as it came, marked, and not scrubbed).
    /// The body moves into the interaction (this exchange keeps none), so a large answer is
    /// not held twice.
    package mutating func takeInteraction() -> (interaction: Interaction, warning: String?) {
        var taken = Data()
        swap(&taken, &body)
        let (response, warning) = RecordedResponse.captured(status: status, headers: responseHeaders, body: taken, chunks: chunks)
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
        for (name, value) in upstream where !TapeDeck.HTTPHeaders.hopByHopNames.contains(name.lowercased()) { headers.add(name: name, value: value) }
        return headers
    }

    /// The request as the cassette records it (before redaction): the upstream URL (or the
    /// `recordAs` base in its place), the client's headers less those not forwarded, the body.
    static func recordedRequest(method: String, requestTarget: String, requestHeaders: NIOHTTP1.HTTPHeaders, requestBody: ByteBuffer,
                                upstream: UpstreamTarget, recordAs: String?) -> RecordedRequest {
        let url = recordAs.map { base in (base.hasSuffix("/") ? String(base.dropLast()) : base) + (requestTarget.hasPrefix("/") ? requestTarget : "/" + requestTarget) }
            ?? upstream.url(for: requestTarget)
        var headers = TapeDeck.HTTPHeaders()
        for (name, value) in requestHeaders where !dropped(name, extra: []) {
            headers.append(name: name, value: value)
        }
        return RecordedRequest(method: method, url: url, headers: headers, body: requestBody.readableBytes > 0 ? Data(requestBody.readableBytesView) : nil)
    }

    private static func dropped(_ name: String, extra: Set<String>) -> Bool {
        let lower = name.lowercased()
        return TapeDeck.HTTPHeaders.unforwardedRequestNames.contains(lower) || extra.contains(lower)
    }
}
