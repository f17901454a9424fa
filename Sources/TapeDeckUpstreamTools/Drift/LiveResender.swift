import Foundation
import NIOCore
import NIOHTTP1
package import TapeDeckProxy
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
    /// - Parameters:
    ///   - limit: the most bytes the answer may have, on the wire and decoded (a cassette's limit).
    ///   - deadline: when the answer must be complete (checked as the head and each piece arrive;
    ///     the client's read timeout bounds the wait for a piece).
    /// - Returns: the answer as a cassette stores it, and a warning when its body could not be
    ///   decoded (then it was not scrubbed either).
    /// - Throws: ``ProxyError`` naming the upstream when it cannot be reached, fails midway, or
    ///   sends more than `limit` bytes (`.answerTooLarge`, the transfer stopped there).
    package func send(_ request: RecordedRequest, headers extra: TapeDeck.HTTPHeaders, queries: [(String, String)],
                      limit: Int = CassetteLimits.defaultMaximumRawBytes,
                      deadline: ContinuousClock.Instant = .now + .seconds(7 * 86_400)) async throws -> (response: RecordedResponse, warning: String?) {
        let (target, requestTarget) = try liveURL(for: request, queries: queries)
        // The proxy's one rule for what is forwarded (hop-by-hop, Host, length, codings it can decode).
        var headers = ExchangeRecording.forwardedHeaders(NIOHTTP1.HTTPHeaders(recorded: request.headers))
        for field in extra { headers.replaceOrAdd(name: field.name, value: field.value) }
        let body = request.body.map { ByteBuffer(bytes: $0) }

        var answer = ResponseCapture()
        let remaining = ContinuousClock.now.duration(to: deadline)
        let late = { ProxyError(.upstreamTimeout, "the answer to \(request.method) \(target.baseURL) did not finish before the deadline") }
        guard remaining > .zero else { throw late() }
        try await client.send(HTTPMethod(rawValue: request.method), requestTarget, headers: headers, body: body, to: target,
                              deadline: .now() + .nanoseconds(remaining.wholeNanoseconds)) { part in
            if ContinuousClock.now > deadline { throw late() }
            switch part {
            case .head(let status, let headers): answer.received(status: Int(status.code), headers: headers)
            case .body(let buffer):
                guard answer.bodySize + buffer.readableBytes <= limit else {
                    throw ProxyError(.answerTooLarge, "the answer to \(request.method) \(target.baseURL) is larger than \(limit) bytes, the limit for a cassette; stopped reading it (raise it with --max-cassette-bytes)")
                }
                answer.received(buffer)
            }
        }
        return answer.take(limit: limit)
    }
}
