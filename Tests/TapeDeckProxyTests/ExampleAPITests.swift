import Foundation
import Testing
import TapeDeck
@testable import TapeDeckProxy
@testable import TapeDeckUpstreamTools

@Suite struct ExampleAPITests {
    private func get(_ target: String, _ headers: HTTPHeaders) -> ExampleAPI.Answer {
        ExampleAPI.answer(method: "GET", target: target, headers: headers, body: Data())
    }

    private func json(_ answer: ExampleAPI.Answer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
    }

    @Test func deepseekListsItsTwoModelsAtBothPaths() throws {
        for path in ["/deepseek/models", "/deepseek/v1/models"] {
            let answer = get(path, ["Authorization": "Bearer sk-x"])
            #expect(answer.status == 200)
            let ids = try (json(answer)["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["deepseek-chat", "deepseek-reasoner"])
        }
    }

    @Test func theGatewayPicksTheFormatFromTheHeaders() throws {
        let openAI = try json(get("/gateway/v1/models", ["Authorization": "Bearer sk-x"]))
        #expect(openAI["object"] as? String == "list")
        let gemini = try json(get("/gateway/v1/models", ["x-goog-api-key": "AIza"]))
        #expect(gemini["models"] != nil)
        let geminiByQuery = try json(get("/gateway/v1/models?key=AIza", [:]))
        #expect(geminiByQuery["models"] != nil)
        let anthropic = try json(get("/gateway/v1/models", ["x-api-key": "sk-ant", "anthropic-version": "2023-06-01"]))
        #expect(anthropic["has_more"] as? Bool == false)
        // x-api-key without anthropic-version is not the Anthropic format.
        #expect(get("/gateway/v1/models", ["x-api-key": "sk-ant"]).status == 401)
    }

    @Test func aMissingCredentialIsA401InEachAPIsShape() throws {
        let deepseek = try json(get("/deepseek/models", [:]))
        #expect((deepseek["error"] as? [String: Any])?["type"] as? String == "authentication_error")
        let gemini = try json(get("/gemini/v1beta/models", [:]))
        #expect((gemini["error"] as? [String: Any])?["status"] as? String == "UNAUTHENTICATED")
        let anthropic = try json(get("/anthropic/v1/models", [:]))
        #expect(anthropic["type"] as? String == "error")
        #expect(get("/gateway/v1/models", [:]).status == 401)
    }

    @Test func anInvalidKeyIsQuotedBackInThe401() {
        let answer = get("/deepseek/models", ["Authorization": "Bearer sk-invalid-123456"])
        #expect(answer.status == 401)
        #expect(answer.body.contains("sk-invalid-123456"))
    }

    @Test func geminiPagesWithPageSizeAndPageToken() throws {
        let first = try json(get("/gemini/v1beta/models?pageSize=2", ["x-goog-api-key": "AIza"]))
        #expect((first["models"] as? [Any])?.count == 2)
        let token = try #require(first["nextPageToken"] as? String)
        let second = try json(get("/gemini/v1beta/models?pageSize=2&pageToken=\(token)", ["x-goog-api-key": "AIza"]))
        #expect((second["models"] as? [Any])?.count == 2)
        let last = try json(get("/gemini/v1beta/models?pageSize=2&pageToken=4", ["x-goog-api-key": "AIza"]))
        #expect(last["nextPageToken"] == nil)
    }

    @Test func anthropicPagesWithLimitAndAfterID() throws {
        let headers: HTTPHeaders = ["x-api-key": "sk-ant", "anthropic-version": "2023-06-01"]
        let first = try json(get("/anthropic/v1/models?limit=2", headers))
        #expect(first["has_more"] as? Bool == true)
        let last = try #require(first["last_id"] as? String)
        let second = try json(get("/anthropic/v1/models?limit=2&after_id=\(last)", headers))
        #expect(second["has_more"] as? Bool == false)
        #expect((second["data"] as? [Any])?.count == 2)
    }

    @Test func aStreamedChatAnswersEventsWithGaps() {
        let answer = ExampleAPI.answer(method: "POST", target: "/deepseek/chat/completions", headers: ["Authorization": "Bearer k"],
                                       body: Data(#"{"model":"deepseek-chat","stream":true}"#.utf8))
        #expect(answer.headers["Content-Type"] == "text/event-stream")
        #expect(answer.pieces.count == 6)
        #expect(answer.pieces.last == "data: [DONE]\n\n")
        #expect(answer.gap > 0)
    }

    @Test func whatAClientSentIsEscapedInTheAnswersJSON() throws {
        let refused = get("/deepseek/models", ["Authorization": #"Bearer sk-invalid"quoted\"#])
        let message = try #require((try json(refused)["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains(#"sk-invalid"quoted\"#))
        let chat = ExampleAPI.answer(method: "POST", target: "/deepseek/chat/completions", headers: ["Authorization": "Bearer sk-1"],
                                     body: Data(#"{"model":"a\"b"}"#.utf8))
        #expect(try json(chat)["model"] as? String == #"a"b"#)
    }
}
