import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TapeDeck
@testable import TapeDeckProxy

@Suite struct ExchangeRecordingTests {
    private let upstream = try! UpstreamTarget("https://api.deepseek.com/v1/")

    @Test func theUpstreamTargetJoinsItsBasePathAndKnowsItsDefaultPort() throws {
        #expect(upstream.path(for: "/models?x=1") == "/v1/models?x=1")
        #expect(upstream.url(for: "/models") == "https://api.deepseek.com/v1/models")
        #expect(upstream.authority == "api.deepseek.com")
        #expect(try UpstreamTarget("http://127.0.0.1:8081/deepseek").authority == "127.0.0.1:8081")
        #expect(throws: ProxyError.self) { try UpstreamTarget("ftp://example.com") }
        #expect(throws: ProxyError.self) { try UpstreamTarget("api.deepseek.com") }
    }

    @Test func forwardedHeadersDropHopByHopOnesAndThoseTheUpstreamClientSets() {
        let client: NIOHTTP1.HTTPHeaders = ["Host": "127.0.0.1:8080", "Connection": "keep-alive", "Keep-Alive": "timeout=5", "Authorization": "Bearer k",
                                   "Accept": "application/json", "Transfer-Encoding": "chunked", "Proxy-Authorization": "Basic x",
                                   "Content-Length": "12", "Accept-Encoding": "br, gzip"]
        let forwarded = ExchangeRecording.forwardedHeaders(client)
        #expect(forwarded["Authorization"] == ["Bearer k"])
        #expect(forwarded["Accept"] == ["application/json"])
        #expect(forwarded["Accept-Encoding"] == ["gzip"], "only codings the recorder can decode are offered")
        for gone in ["Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Proxy-Authorization", "Content-Length"] {
            #expect(forwarded[gone].isEmpty, "\(gone) is not forwarded")
        }
    }

    private func exchange(headers: NIOHTTP1.HTTPHeaders, pieces: [String]) -> ExchangeRecording {
        let received = RecordedRequest(method: "GET", url: "/models", headers: ["Host": "127.0.0.1:9", "Authorization": "Bearer k"])
        var exchange = ExchangeRecording(received: received, requestTarget: "/models", upstream: upstream)
        exchange.response.received(status: 200, headers: headers)
        for (offset, piece) in pieces.enumerated() { exchange.response.received(ByteBuffer(string: piece), milliseconds: offset * 10) }
        return exchange
    }

    @Test func theInteractionRecordsTheUpstreamURLNotTheProxys() {
        var json = exchange(headers: ["Content-Type": "application/json"], pieces: ["{}"])
        let interaction = json.takeInteraction().interaction
        #expect(interaction.request.url == "https://api.deepseek.com/v1/models")
        #expect(interaction.request.headers.map(\.name) == ["Authorization"])
        #expect(interaction.request.body == nil)
        #expect(interaction.response.chunks == nil)
        #expect(json.response.body.isEmpty, "the body moved into the interaction")
        let standIn = ExchangeRecording(received: RecordedRequest(method: "GET", url: "/models"), requestTarget: "/models",
                                        upstream: upstream, recordAs: "https://gateway.example/")
        #expect(standIn.request.url == "https://gateway.example/models")
    }

    @Test func aStreamedAnswerKeepsItsPiecesAndTiming() {
        var streamed = exchange(headers: ["Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"], pieces: ["data: 1\n\n", "data: 2\n\n"])
        let interaction = streamed.takeInteraction().interaction
        #expect(interaction.response.chunks == [ResponseChunk(size: 9, milliseconds: 0), ResponseChunk(size: 9, milliseconds: 10)])
        #expect(interaction.response.headers.map(\.name) == ["Content-Type"])
    }

    @Test func aGzipAnswerIsStoredDecoded() {
        let json = #"{"object":"list","data":[]}"#
        let compressed = Gzip.compress(Array(json.utf8))
        var exchange = exchange(headers: ["Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(compressed.count)], pieces: [])
        exchange.response.received(ByteBuffer(bytes: compressed), milliseconds: 0)
        let response = exchange.takeInteraction().interaction.response
        #expect(String(decoding: response.body, as: UTF8.self) == json)
        #expect(response.headers.map(\.name) == ["Content-Type"])
    }
}
