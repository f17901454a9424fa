import Foundation
import Testing
@testable import TapeDeck

/// `Stub`: each provider's documented shape, the stub rule in the format, and stubs in playback.
@Suite struct StubTests {
    private func json(_ interaction: Interaction) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: interaction.response.body) as? [String: Any])
    }

    /// The `data:` payloads of a streamed stub, one per recorded chunk.
    private func events(_ interaction: Interaction) throws -> [String] {
        try #require(interaction.response.chunks != nil)
        return interaction.response.bodyPieces.map { piece in
            String(decoding: piece.data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? ""
        }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test func anOpenAIChatCompletionHasTheDocumentedFields() throws {
        let stub = Stub.openAIChat("Hi there.", model: "deepseek-chat")
        #expect(stub.request.method == "POST" && stub.request.url == Stub.openAIChatURL)
        #expect(stub.stub == .methodAndPath)
        let body = try json(stub)
        #expect(body["object"] as? String == "chat.completion")
        #expect(body["model"] as? String == "deepseek-chat")
        let choice = try #require((body["choices"] as? [[String: Any]])?.first)
        #expect(choice["finish_reason"] as? String == "stop")
        #expect((choice["message"] as? [String: Any])?["content"] as? String == "Hi there.")
        #expect((body["usage"] as? [String: Int])?["total_tokens"] == 12)
    }

    @Test func aStreamedOpenAIChatIsChunkEventsEndingInDone() throws {
        let stub = Stub.openAIChat("One two", ending: .length, stream: true)
        #expect(stub.response.headers["Content-Type"] == "text/event-stream")
        let payloads = try events(stub)
        #expect(payloads.last == "[DONE]")
        let chunks = try payloads.dropLast().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String }
        #expect(deltas.joined() == "One two")
        #expect((chunks.last?["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "length")
    }

    @Test func aToolCallCarriesTheArgumentsAsEachProviderWritesThem() throws {
        let ending = try StubEnding.toolCall("get_weather", arguments: #"{ "city" : "Paris" }"#)
        let openAI = try json(Stub.openAIChat(ending: ending))
        let call = try #require(((openAI["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])
        #expect((call.first?["function"] as? [String: String])?["arguments"] == #"{"city":"Paris"}"#, "OpenAI: a string of compact JSON")
        let anthropic = try json(Stub.anthropicMessages(ending: ending))
        #expect(anthropic["stop_reason"] as? String == "tool_use")
        let block = try #require((anthropic["content"] as? [[String: Any]])?.first)
        #expect(block["type"] as? String == "tool_use" && (block["input"] as? [String: String]) == ["city": "Paris"], "Anthropic: an object")
        let gemini = try json(Stub.geminiGenerate(ending: ending))
        let part = try #require((((gemini["candidates"] as? [[String: Any]])?.first?["content"] as? [String: Any])?["parts"] as? [[String: Any]])?.first)
        #expect(((part["functionCall"] as? [String: Any])?["args"] as? [String: String]) == ["city": "Paris"], "Gemini: an object")
    }

    @Test func aToolCallWhoseArgumentsAreNotAnObjectIsRefused() {
        #expect(throws: TapeDeckError.self) { try StubEnding.toolCall("f", arguments: "[1, 2]") }
        #expect(throws: TapeDeckError.self) { try StubEnding.toolCall("", arguments: "{}") }
    }

    @Test func aStreamedAnthropicMessageHasEveryEventTypeInOrder() throws {
        let stub = Stub.anthropicMessages("A b", stream: true)
        let names = stub.response.bodyPieces.map { String(decoding: $0.data, as: UTF8.self).split(separator: "\n").first ?? "" }
        #expect(names == ["event: message_start", "event: content_block_start", "event: ping", "event: content_block_delta",
                          "event: content_block_delta", "event: content_block_stop", "event: message_delta", "event: message_stop"])
    }

    @Test func aStreamedGeminiAnswerGoesToStreamGenerateContentWithAltSSE() throws {
        let stub = Stub.geminiGenerate("A b c", model: "gemini-x", stream: true)
        #expect(stub.request.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-x:streamGenerateContent?alt=sse")
        #expect(try events(stub).count == 3)
        #expect(String(decoding: stub.response.body, as: UTF8.self).hasSuffix("}\r\n\r\n"))
    }

    @Test func modelListsComeInEachFormat() throws {
        #expect((try json(Stub.openAIModels(["a"], ownedBy: "deepseek"))["data"] as? [[String: Any]])?.first?["owned_by"] as? String == "deepseek")
        let anthropic = try json(Stub.anthropicModels(["c1", "c2"]))
        #expect(anthropic["first_id"] as? String == "c1" && anthropic["last_id"] as? String == "c2" && anthropic["has_more"] as? Bool == false)
        #expect((try json(Stub.geminiModels(["g"]))["models"] as? [[String: Any]])?.first?["name"] as? String == "models/g")
    }

    @Test(arguments: [(StubProvider.openAI, "rate_limit_exceeded"), (.anthropic, "rate_limit_error"), (.gemini, "RESOURCE_EXHAUSTED")])
    func a429CarriesRetryAfterAndTheProvidersOwnErrorShape(provider: StubProvider, marker: String) throws {
        let stub = try Stub.error(provider, status: 429, retryAfter: 4)
        #expect(stub.response.status == 429)
        #expect(stub.response.headers["Retry-After"] == "4")
        #expect(String(decoding: stub.response.body, as: UTF8.self).contains(marker))
    }

    @Test func anErrorStubOutsideTheErrorStatusesIsRefused() {
        #expect(throws: TapeDeckError.self) { try Stub.error(.openAI, status: 200) }
        #expect(throws: TapeDeckError.self) { try Stub.error(.openAI, status: 500, retryAfter: 1) }
    }

    @Test func theStubRuleSurvivesTheFormat() throws {
        let cassette = Cassette(name: "s", interactions: [
            Stub.openAIModels(), try Stub.error(.gemini, status: 500).answering(times: 2).matching([.method, .host, .path]),
        ])
        let again = try Cassette(gzipData: Data(Gzip.compress(cassette.encodedLines())), path: "s.tape")
        #expect(again.interactions == cassette.interactions)
        #expect(again.interactions[1].stub == StubRule(parts: [.method, .host, .path], times: 2))
    }

    @Test(arguments: [#""stub":{"match":[]}"#, #""stub":{"match":["headers"]}"#, #""stub":{"match":["path"],"times":0}"#])
    func aStubRuleThatIsWrongIsAnErrorNamingTheField(rule: String) throws {
        let line = #"{"request":{"method":"GET","url":"https://x/a","headers":[]},"response":{"status":200,"headers":[],"body":""},"# + rule + "}"
        let text = #"{"format":"tapedeck-cassette","version":1,"name":"s","writer":"t"}"# + "\n" + line + "\n"
        #expect { try Cassette(gzipData: Data(Gzip.compress(Array(text.utf8))), path: "s.tape") } throws: { error in
            (error as? TapeDeckError)?.kind == .invalidField && "\(error)".contains("stub")
        }
    }

    @Test func aStubAnswersBeforeTheRecordingsUntilItsTimesRunOutAndIsNeverUnplayed() throws {
        let recorded = Interaction(request: RecordedRequest(method: "POST", url: "https://api.openai.com/v1/chat/completions", body: Data("{}".utf8)),
                                   response: RecordedResponse(status: 200, body: Data("recorded".utf8)))
        let playback = Playback(cassette: Cassette(name: "mix", interactions: [recorded, try Stub.error(.openAI, status: 429).answering(times: 1)]))
        let live = RecordedRequest(method: "POST", url: "http://127.0.0.1:9/v1/chat/completions", body: Data(#"{"model":"x"}"#.utf8))
        #expect(try playback.play(live).response.status == 429, "the stub matches method and path, whatever the host and body")
        let sameAsRecorded = RecordedRequest(method: "POST", url: recorded.request.url, body: Data("{}".utf8))
        #expect(try playback.play(sameAsRecorded).response.status == 200, "its one answer given, the recording answers")
        #expect(playback.unplayed.isEmpty)
        #expect(throws: TapeDeckError.self) { try playback.play(live) }
    }

    @Test func aStubWithNoLimitAnswersEveryTimeAndOnlyItsMethodAndPath() throws {
        let playback = Playback(cassette: Cassette(name: "s", interactions: [Stub.openAIModels(["a"])]))
        for host in ["https://api.openai.com", "http://localhost:1234", "https://gateway.example"] {
            #expect(try playback.play(RecordedRequest(method: "GET", url: "\(host)/v1/models?x=1")).response.status == 200)
        }
        #expect(throws: TapeDeckError.self) { try playback.play(RecordedRequest(method: "POST", url: "https://api.openai.com/v1/models")) }
        #expect(throws: TapeDeckError.self) { try playback.play(RecordedRequest(method: "GET", url: "https://api.openai.com/models")) }
    }

    @Test func textIsCutIntoWordsWithTheirSpaces() {
        #expect(Stub.pieces("One two  three") == ["One", " two", "  three"])
        #expect(Stub.pieces("") == [""])
    }
}
