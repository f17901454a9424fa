import Foundation
import NIOCore
import NIOHTTP1
package import TapeDeck

/// Sends a recorded request again, to the live upstream (the recorded origin, or another one in
/// its place), with credentials the caller adds; returns the answer as a cassette would store it.
package struct LiveResender: Sendable {
    private let client: UpstreamClient
    private let upstream: UpstreamTarget?

    /// - Parameters:
    ///   - upstream: a base URL that replaces the recorded scheme, host and port (its path is
    ///     put before the recorded path), or `nil` for the recorded URL itself.
    package init(client: UpstreamClient, upstream: UpstreamTarget?) {
        self.client = client
        self.upstream = upstream
    }

    /// The URL `request` goes to, with `queries` added.
    package func liveURL(for request: RecordedRequest, queries: [(String, String)] = []) throws(ProxyError) -> (target: UpstreamTarget, requestTarget: String) {
        guard let components = URLComponents(string: request.url), let scheme = components.scheme, let host = components.host else {
            throw ProxyError(.invalidUpstream, "the recorded URL \(request.url) has no scheme or host")
        }
        let target: UpstreamTarget
        if let upstream { target = upstream } else { target = try UpstreamTarget("\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")") }
        var query = components.percentEncodedQuery.map { [$0] } ?? []
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))
        for (name, value) in queries {
            query.append("\(name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)")
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return (target, target.path(for: query.isEmpty ? path : path + "?" + query.joined(separator: "&")))
    }

    /// Sends `request` with `headers` and `queries` added.
    ///
    /// - Throws: ``ProxyError`` naming the upstream when it cannot be reached or fails midway.
    package func send(_ request: RecordedRequest, headers extra: [(String, String)], queries: [(String, String)]) async throws -> RecordedResponse {
        let (target, requestTarget) = try liveURL(for: request, queries: queries)
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: requestTarget)
        head.headers.add(name: "Host", value: target.authority)
        for header in request.headers where !Self.notForwarded.contains(header.name.lowercased()) {
            head.headers.add(name: header.name, value: header.value)
        }
        for (name, value) in extra { head.headers.replaceOrAdd(name: name, value: value) }
        let body = request.body.map { ByteBuffer(bytes: $0) }
        if let body { head.headers.add(name: "Content-Length", value: String(body.readableBytes)) }
        head.headers.add(name: "Connection", value: "close")

        var status = 0
        var headers = TapeDeck.HTTPHeaders()
        var pieces: [(Data, Int)] = []
        var started = ContinuousClock.now
        try await client.send(head, body: body, to: target) { part in
            switch part {
            case .head(let responseHead):
                status = Int(responseHead.status.code)
                started = .now
                for (name, value) in responseHead.headers where !TapeDeck.HTTPHeaders.hopByHopNames.contains(name.lowercased()) {
                    headers.append(name: name, value: value)
                }
            case .body(let buffer):
                pieces.append((Data(buffer.readableBytesView), ResponseChunk.milliseconds(since: started)))
            }
        }
        let streamed = headers["Content-Type"]?.lowercased().hasPrefix("text/event-stream") == true
        let response = RecordedResponse(status: status, headers: headers, body: Data(pieces.map(\.0).joined()),
                                        chunks: streamed ? pieces.map { ResponseChunk(size: $0.0.count, milliseconds: $0.1) } : nil)
        return response.decodedForStorage().response
    }

    private static let notForwarded: Set<String> = ["host", "content-length", "connection", "transfer-encoding", "keep-alive", "expect"]
}
