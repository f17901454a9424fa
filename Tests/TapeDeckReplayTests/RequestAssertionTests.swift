import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
import TapeDeckReplay

/// What the code under test sent, as a test asserts it: `player.requests` and `decodedBody(as:)`.
@Suite struct RequestAssertionTests {
    struct Chat: Decodable, Equatable {
        struct Message: Decodable, Equatable { var role: String; var content: String }
        var model: String
        var messages: [Message]
        var temperature: Double?
    }

    private let chatBody = #"{"model":"deepseek-chat","messages":[{"role":"user","content":"Say hi"}],"temperature":0.2,"stream":true}"#

    @Test func everyRequestIsKeptInOrderRedactedMatchedOrNot() async throws {
        let player = CassettePlayer(cassette: Cassettes.deepseek_)
        let session = player.makeSession()
        _ = try? await session.data(for: urlRequest("https://api.deepseek.com/chat/completions", method: "POST",
                                                    ["Authorization": "Bearer sk-live-test-key", "Content-Type": "application/json"], body: chatBody))
        _ = try? await session.data(for: urlRequest("https://api.deepseek.com/modles", ["Authorization": "Bearer sk-live-test-key"]))
        _ = try? await session.data(for: urlRequest("https://api.deepseek.com/models", ["x-api-key": "sk-live-test-key"]))
        let sent = player.requests
        #expect(sent.map(\.url) == ["https://api.deepseek.com/chat/completions", "https://api.deepseek.com/modles", "https://api.deepseek.com/models"])
        #expect(sent.map(\.method) == ["POST", "GET", "GET"])
        #expect(sent.allSatisfy { !$0.redacted.isEmpty }, "credentials removed as a recording would")
        #expect(sent.allSatisfy { request in !request.headers.contains { $0.value.contains("sk-live-test-key") } })
        #expect(player.failures.count >= 1, "the miss is a request too, and still a failure")
        let chat = try sent[0].decodedBody(as: Chat.self)
        #expect(chat == Chat(model: "deepseek-chat", messages: [.init(role: "user", content: "Say hi")], temperature: 0.2))
    }

    @Test func aRedirectThePlayerFollowedIsNotARequestOfItsOwn() async throws {
        let player = CassettePlayer(cassette: Cassettes.deepseek_)
        _ = try await player.makeSession().data(for: urlRequest("https://api.deepseek.com/old-models"))
        #expect(player.requests.map(\.url) == ["https://api.deepseek.com/old-models"])
    }

    @Test func aBodyThatIsMissingNotJSONOrOfAnotherShapeIsAnErrorNamingTheRequest() throws {
        let none = RecordedRequest(method: "GET", url: "https://api.deepseek.com/models")
        let noneError = #expect(throws: ReplayError.self) { try none.decodedBody(as: Chat.self) }
        #expect(noneError?.kind == .notJSON)
        #expect(noneError?.description.contains("GET https://api.deepseek.com/models has no body to decode as Chat") == true, "\(String(describing: noneError))")

        let form = RecordedRequest(method: "POST", url: "https://api.example.test/v1/chat", body: Data("model=x&stream=1".utf8))
        let formError = #expect(throws: ReplayError.self) { try form.decodedBody(as: Chat.self) }
        #expect(formError?.description.contains("the body of POST https://api.example.test/v1/chat is not JSON (it starts 'model=x&stream=1')") == true,
                "\(String(describing: formError))")

        let other = RecordedRequest(method: "POST", url: "https://api.example.test/v1/chat", body: Data(#"{"model":"x","messages":[{"role":"user"}]}"#.utf8))
        let otherError = #expect(throws: ReplayError.self) { try other.decodedBody(as: Chat.self) }
        #expect(otherError?.description.contains("is JSON but not a Chat: no 'content' at messages[0]") == true, "\(String(describing: otherError))")
    }
}
