import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// The Apple platforms' recording path (a plain URLSession), run here outside a URLProtocol,
/// where it works on Linux too: what it stores must be what the curl path stores.
@Suite struct SessionFetcherTests {
    private func upstream() throws -> LoopbackServer {
        try LoopbackServer { request in
            switch request.path {
            case "/stream":
                return .init(status: 200, headers: [("Content-Type", "text/event-stream")],
                             pieces: Cassettes.events.map { Data($0.utf8) }, gap: 0.03)
            case "/gzipped", "/deflated":
                // Encodes whatever the request asked for, as some upstreams do; echoes the key.
                let plain = Data(#"{"data":[{"id":"deepseek-chat"}],"echo":"\#(request.headers["authorization"] ?? "")"}"#.utf8)
                let gzip = request.path == "/gzipped"
                return .init(status: 200, headers: [("Content-Type", "application/json"), ("Content-Encoding", gzip ? "gzip" : "deflate"),
                                                    ("X-Accept-Encoding", request.headers["accept-encoding"] ?? "none")],
                             pieces: [TestCompression.deflate(plain, gzip ? .gzip : .zlib)])
            case "/moved":
                return .init(status: 302, headers: [("Location", "/models"), ("Content-Type", "text/plain")], pieces: [Data("moved".utf8)])
            default:
                return .init(status: 401, headers: [("Content-Type", "application/json"), ("X-Seen", request.headers["authorization"] ?? "none")],
                             pieces: [Data(#"{"error":"bad key"}"#.utf8)])
            }
        }
    }

    @Test func anAnswerIsStoredWithStatusHeadersAndBodyAndTheCredentialWasSent() throws {
        let server = try upstream()
        defer { server.stop() }
        let response = try SessionFetcher().fetch(RecordedRequest(method: "GET", url: "\(server.baseURL)/models", headers: ["Authorization": "Bearer sk-session-12345678"]),
                                                  cassette: "s.tape")
        #expect(response.status == 401)
        #expect(response.headers["X-Seen"] == "Bearer sk-session-12345678")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"bad key"}"#)
        #expect(response.chunks == nil)
    }

    @Test(arguments: ["/gzipped", "/deflated"])
    func anAnswerEncodedAnywayIsStoredDecodedWithoutItsEncodingHeaders(_ path: String) throws {
        let server = try upstream()
        defer { server.stop() }
        let response = try SessionFetcher().fetch(RecordedRequest(method: "GET", url: "\(server.baseURL)\(path)",
                                                                  headers: ["Authorization": "Bearer sk-session-12345678", "Accept-Encoding": "br"]),
                                                  cassette: "s.tape")
        #expect(server.requests.first?.headers["accept-encoding"] == "identity", "the fetcher asks for no coding, whatever the caller asked")
        #expect(response.undecodedEncoding == nil, "decoded, so it can be scrubbed")
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.headers["Content-Length"] == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"data":[{"id":"deepseek-chat"}],"echo":"Bearer sk-session-12345678"}"#)
    }

    @Test func aBodyStillCarryingItsCodingIsToldFromOneTheTransportDecoded() {
        let plain = Data(#"{"id":"x"}"#.utf8)
        #expect(ContentCoding.isStillEncoded(TestCompression.deflate(plain, .gzip), coding: "gzip") == true)
        #expect(ContentCoding.isStillEncoded(TestCompression.deflate(plain, .zlib), coding: "deflate") == true)
        #expect(ContentCoding.isStillEncoded(plain, coding: "gzip") == false)
        #expect(ContentCoding.isStillEncoded(plain, coding: "deflate") == false)
        #expect(ContentCoding.isStillEncoded(plain, coding: "br") == nil, "brotli has no signature: never guessed")
    }

    @Test func aRedirectIsRecordedAsTheThreeHundredItIsNotFollowed() throws {
        let server = try upstream()
        defer { server.stop() }
        let response = try SessionFetcher().fetch(RecordedRequest(method: "GET", url: "\(server.baseURL)/moved"), cassette: "s.tape")
        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/models")
        #expect(server.requests.map(\.path) == ["/moved"])
    }

    @Test func aStreamedAnswerKeepsItsPiecesAndTheirTiming() throws {
        let server = try upstream()
        defer { server.stop() }
        let response = try SessionFetcher().fetch(RecordedRequest(method: "GET", url: "\(server.baseURL)/stream"), cassette: "s.tape")
        #expect(String(decoding: response.body, as: UTF8.self) == Cassettes.events.joined())
        // Each piece is kept with its arrival time (how many pieces, and their spacing, depend on
        // the machine's load: no timing is asserted).
        let chunks = try #require(response.chunks, "a streamed answer keeps its pieces")
        #expect(ResponseChunk.covers(chunks, bodySize: response.body.count))
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.milliseconds <= $1.milliseconds }, "\(chunks)")
    }

    @Test func anUpstreamThatIsDownIsAnErrorNamingTheRequest() throws {
        let server = try upstream()
        let url = "\(server.baseURL)/models"
        server.stop()
        let error = #expect(throws: ReplayError.self) { try SessionFetcher().fetch(RecordedRequest(method: "GET", url: url), cassette: "s.tape") }
        #expect(error?.description.contains("recording GET \(url) failed") == true)
    }
}
