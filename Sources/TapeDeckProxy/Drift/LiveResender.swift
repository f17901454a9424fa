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
        for header in request.headers where !TapeDeck.HTTPHeaders.unforwardedRequestNames.contains(header.name.lowercased()) {
            head.headers.add(name: header.name, value: header.value)
        }
        for (name, value) in extra { head.headers.replaceOrAdd(name: name, value: value) }
        let body = request.body.map { ByteBuffer(bytes: $0) }

        var answer = ResponseCapture()
        try await client.send(head, body: body, to: target) { part in
            switch part {
            case .head(let responseHead): answer.received(status: Int(responseHead.status.code), headers: responseHead.headers)
            case .body(let buffer): answer.received(buffer)
            }
        }
        return answer.take().response
    }
}
