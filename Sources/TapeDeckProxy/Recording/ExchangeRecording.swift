import Foundation
package import NIOCore
package import NIOHTTP1
package import TapeDeck

/// The decisions of the recording proxy, without I/O: which headers cross the proxy, and how a
/// finished exchange becomes an ``Interaction`` (upstream URL, decoded body, chunk timing).
package struct ExchangeRecording: Sendable {

    package var method: String
    /// The client's request target, e.g. `/models?x=1`.
    package var requestTarget: String
    package var requestHeaders: NIOHTTP1.HTTPHeaders
    package var requestBody: ByteBuffer
    package var status: Int
    package var responseHeaders: NIOHTTP1.HTTPHeaders
    /// The body as it arrived: each piece and when, in milliseconds after the response head.
    package var pieces: [(bytes: ByteBuffer, milliseconds: Int)]

    package init(method: String, requestTarget: String, requestHeaders: NIOHTTP1.HTTPHeaders, requestBody: ByteBuffer,
                 status: Int, responseHeaders: NIOHTTP1.HTTPHeaders, pieces: [(bytes: ByteBuffer, milliseconds: Int)]) {
        self.method = method
        self.requestTarget = requestTarget
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.status = status
        self.responseHeaders = responseHeaders
        self.pieces = pieces
    }

    /// The headers the upstream gets: the client's, less hop-by-hop ones, with the upstream's
    /// `Host`, a body length of our own, and an `Accept-Encoding` that offers only codings the
    /// recorder can decode (an answer it could not decode could not be scrubbed).
    package static func forwardedHeaders(_ client: NIOHTTP1.HTTPHeaders, to upstream: UpstreamTarget, bodyLength: Int) -> NIOHTTP1.HTTPHeaders {
        var headers = NIOHTTP1.HTTPHeaders()
        headers.add(name: "Host", value: upstream.authority)
        for (name, value) in client where !dropped(name, extra: ["host", "content-length", "expect", "proxy-authorization", "accept-encoding"]) {
            headers.add(name: name, value: value)
        }
        let offered = client[canonicalForm: "Accept-Encoding"].map(String.init)
        if !offered.isEmpty, let acceptable = ContentCoding.acceptable(offered.joined(separator: ", ")) {
            headers.add(name: "Accept-Encoding", value: acceptable)
        }
        if bodyLength > 0 { headers.add(name: "Content-Length", value: String(bodyLength)) }
        headers.add(name: "Connection", value: "close")
        return headers
    }

    /// The headers the client gets: the upstream's, less hop-by-hop ones (NIO frames the body).
    package static func clientHeaders(_ upstream: NIOHTTP1.HTTPHeaders) -> NIOHTTP1.HTTPHeaders {
        var headers = NIOHTTP1.HTTPHeaders()
        for (name, value) in upstream where !dropped(name, extra: []) { headers.add(name: name, value: value) }
        return headers
    }

    /// The request as the cassette records it (before redaction): the upstream URL (or the
    /// `recordAs` base in its place), the client's headers less hop-by-hop ones, the body.
    package static func recordedRequest(method: String, requestTarget: String, requestHeaders: NIOHTTP1.HTTPHeaders, requestBody: ByteBuffer,
                                        upstream: UpstreamTarget, recordAs: String?) -> RecordedRequest {
        let url = recordAs.map { base in (base.hasSuffix("/") ? String(base.dropLast()) : base) + (requestTarget.hasPrefix("/") ? requestTarget : "/" + requestTarget) }
            ?? upstream.url(for: requestTarget)
        var headers = TapeDeck.HTTPHeaders()
        for (name, value) in requestHeaders where !dropped(name, extra: ["host", "content-length", "expect"]) {
            headers.append(name: name, value: value)
        }
        return RecordedRequest(method: method, url: url, headers: headers, body: requestBody.readableBytes > 0 ? Data(requestBody.readableBytesView) : nil)
    }

    private static func dropped(_ name: String, extra: Set<String>) -> Bool {
        let lower = name.lowercased()
        return TapeDeck.HTTPHeaders.hopByHopNames.contains(lower) || extra.contains(lower)
    }

    /// The interaction to store (before redaction), with its body decoded, and a warning when
    /// the body could not be decoded (it is then stored as it came, marked, and not scrubbed).
    ///
    /// - Parameters:
    ///   - upstream: where the request went.
    ///   - recordAs: another base URL to record instead of the upstream's (for a stand-in
    ///     upstream such as `tapedeck example-upstream` playing the real API).
    package func interaction(upstream: UpstreamTarget, recordAs: String? = nil) -> (interaction: Interaction, warning: String?) {
        let request = Self.recordedRequest(method: method, requestTarget: requestTarget, requestHeaders: requestHeaders, requestBody: requestBody,
                                           upstream: upstream, recordAs: recordAs)
        var body = Data()
        for piece in pieces { body.append(contentsOf: piece.bytes.readableBytesView) }
        var headers = TapeDeck.HTTPHeaders()
        for (name, value) in responseHeaders where !Self.dropped(name, extra: []) { headers.append(name: name, value: value) }
        let chunks = pieces.map { ResponseChunk(size: $0.bytes.readableBytes, milliseconds: $0.milliseconds) }
        let streamed = headers["Content-Type"]?.lowercased().hasPrefix("text/event-stream") == true
        let (response, warning) = RecordedResponse(status: status, headers: headers, body: body, chunks: streamed ? chunks : nil).decodedForStorage()
        return (Interaction(request: request, response: response), warning)
    }
}
