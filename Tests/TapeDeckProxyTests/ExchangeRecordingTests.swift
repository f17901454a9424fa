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

    @Test func forwardedHeadersDropHopByHopOnesAndCarryTheUpstreamsHost() {
        let client: NIOHTTP1.HTTPHeaders = ["Host": "127.0.0.1:8080", "Connection": "keep-alive", "Keep-Alive": "timeout=5", "Authorization": "Bearer k",
                                   "Accept": "application/json", "Transfer-Encoding": "chunked", "Proxy-Authorization": "Basic x"]
        let forwarded = ExchangeRecording.forwardedHeaders(client, to: upstream, bodyLength: 12)
        #expect(forwarded["Host"] == ["api.deepseek.com"])
        #expect(forwarded["Authorization"] == ["Bearer k"])
        #expect(forwarded["Accept"] == ["application/json"])
        #expect(forwarded["Keep-Alive"].isEmpty && forwarded["Transfer-Encoding"].isEmpty && forwarded["Proxy-Authorization"].isEmpty)
        #expect(forwarded["Content-Length"] == ["12"])
        #expect(forwarded["Connection"] == ["close"])
    }

    private func exchange(headers: NIOHTTP1.HTTPHeaders, pieces: [String]) -> ExchangeRecording {
        ExchangeRecording(method: "GET", requestTarget: "/models", requestHeaders: ["Host": "127.0.0.1:9", "Authorization": "Bearer k"],
                          requestBody: ByteBuffer(), status: 200, responseHeaders: headers,
                          pieces: pieces.enumerated().map { (ByteBuffer(string: $0.element), $0.offset * 10) })
    }

    @Test func theInteractionRecordsTheUpstreamURLNotTheProxys() {
        let interaction = exchange(headers: ["Content-Type": "application/json"], pieces: ["{}"]).interaction(upstream: upstream).interaction
        #expect(interaction.request.url == "https://api.deepseek.com/v1/models")
        #expect(interaction.request.headers.map(\.name) == ["Authorization"])
        #expect(interaction.request.body == nil)
        #expect(interaction.response.chunks == nil)
        let standIn = exchange(headers: [:], pieces: []).interaction(upstream: upstream, recordAs: "https://gateway.example/").interaction
        #expect(standIn.request.url == "https://gateway.example/models")
    }

    @Test func aStreamedAnswerKeepsItsPiecesAndTiming() {
        let interaction = exchange(headers: ["Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"], pieces: ["data: 1\n\n", "data: 2\n\n"])
            .interaction(upstream: upstream).interaction
        #expect(interaction.response.chunks == [ResponseChunk(size: 9, milliseconds: 0), ResponseChunk(size: 9, milliseconds: 10)])
        #expect(interaction.response.headers.map(\.name) == ["Content-Type"])
    }

    @Test func aGzipAnswerIsStoredDecoded() {
        let json = #"{"object":"list","data":[]}"#
        let compressed = Gzip.compress(Array(json.utf8))
        var exchange = exchange(headers: ["Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(compressed.count)], pieces: [])
        exchange.pieces = [(ByteBuffer(bytes: compressed), 0)]
        let response = exchange.interaction(upstream: upstream).interaction.response
        #expect(String(decoding: response.body, as: UTF8.self) == json)
        #expect(response.headers.map(\.name) == ["Content-Type"])
    }
}
