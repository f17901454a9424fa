import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import TapeDeck
import TapeDeckProxy
import TapeDeckTestSupport
import TapeDeckUpstreamTools
import Testing

/// Drift's re-sender sends a recorded request with the proxy's one forwarding rule.
@Suite struct LiveResenderTests {
    /// Answers with the request headers it got, one `name: value` line each.
    final class HeaderEcho: ExchangeHandler {
        func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
            let lines = request.head.headers.map { "\($0.name.lowercased()): \($0.value)" }.joined(separator: "\n")
            try await writer.respond(status: .ok, headers: ["Content-Type": "text/plain"], body: ByteBuffer(string: lines))
        }
    }

    @Test func aResentRequestDropsHopByHopHeadersOffersOnlyDecodableCodingsAndAddsTheGivenCredential() async throws {
        let upstream = try await RunningServer(HeaderEcho())
        let client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton)
        let resender = LiveResender(client: client, upstream: try UpstreamTarget(upstream.baseURL))
        let recorded = RecordedRequest(method: "GET", url: "https://api.deepseek.com/models",
                                       headers: HTTPHeaders([("Accept", "application/json"), ("Connection", "keep-alive, x-hop"),
                                                             ("Proxy-Authorization", "Basic abc"), ("Accept-Encoding", "br, gzip"),
                                                             ("Host", "api.deepseek.com"), ("Authorization", "REDACTED")]))
        let answer: RecordedResponse?
        do { answer = try await resender.send(recorded, headers: ["Authorization": "Bearer sk-live"], queries: []).response } catch {
            Issue.record("the re-send failed: \(error)")
            answer = nil
        }
        await client.shutdown()
        await upstream.stop()
        let sent = Set(String(decoding: try #require(answer).body, as: UTF8.self).split(separator: "\n").map(String.init))
        #expect(sent.contains("accept: application/json"))
        #expect(sent.contains("accept-encoding: gzip"), "\(sent)")
        #expect(sent.contains("authorization: Bearer sk-live"))
        #expect(!sent.contains { $0.hasPrefix("connection: keep-alive, x-hop") || $0.hasPrefix("proxy-authorization") || $0.hasPrefix("authorization: REDACTED") }, "\(sent)")
        #expect(sent.filter { $0.hasPrefix("host:") }.count == 1)
    }
}
