import AsyncHTTPClient
import Foundation
import NIOCore
import TapeDeck
import TapeDeckReplay
import TapeDeckTestSupport
import Testing
import TapeDeckServer

/// `server.requests`: what a client that does not take a URLSession sent, over real HTTP.
@Suite struct CassetteServerRequestsTests {
    struct Chat: Decodable { var model: String; var stream: Bool }

    @Test func everyRequestIsKeptInOrderRedactedFaultedMissedOrMatched() async throws {
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek, faults: [try Fault("GET /models status=429 times=1")])
        let authorization = ("Authorization", "Bearer \(Cassettes.key)")
        #expect(try await fetch("\(server.baseURL)/models", headers: [authorization]).status == 429)
        #expect(try await fetch("\(server.baseURL)/models", headers: [authorization]).status == 200)
        #expect(try await fetch("\(server.baseURL)/nowhere", headers: [authorization]).status == 404)
        _ = try await fetch("\(server.baseURL)/chat/completions", method: .POST, headers: [authorization, ("Content-Type", "application/json")],
                            body: #"{"model":"deepseek-chat","stream":true}"#)
        let sent = server.requests
        #expect(sent.map { URL(string: $0.url)?.path } == ["/models", "/models", "/nowhere", "/chat/completions"])
        #expect(sent.allSatisfy { $0.url.hasPrefix("http://127.0.0.1:\(server.port)/") })
        #expect(sent.allSatisfy { $0.redacted.contains(.header("authorization")) })
        #expect(sent.allSatisfy { request in !request.headers.contains { $0.value.contains(Cassettes.key) } })
        let chat = try sent[3].decodedBody(as: Chat.self)
        #expect(chat.model == "deepseek-chat" && chat.stream)
        await server.stop()
    }
}

/// `CassetteServer` with matching that ignores varying body fields.
@Suite struct CassetteServerIgnoringBodyFieldsTests {
    @Test func aRequestDifferingOnlyInIgnoredFieldsGetsTheRecordedAnswer() async throws {
        let recorded = Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", headers: ["Content-Type": "application/json"],
                                     body: Data(#"{"model":"deepseek-chat","user":"run-1"}"#.utf8), redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"id":"c1"}"#.utf8)))
        let server = try await CassetteServer.start(cassette: Cassette(name: "chat", interactions: [recorded]),
                                                    matching: .standard.ignoringBodyFields(["user"]))
        let answer = try await fetch("\(server.baseURL)/chat/completions", method: .POST,
                                     headers: [("Authorization", "Bearer \(Cassettes.key)"), ("Content-Type", "application/json")],
                                     body: #"{"user":"run-2","model":"deepseek-chat"}"#)
        #expect(answer.status == 200)
        #expect(answer.body == #"{"id":"c1"}"#)
        #expect(server.failures.isEmpty)
        await server.stop()
    }
}
