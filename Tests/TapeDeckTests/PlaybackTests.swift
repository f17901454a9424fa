import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

@Suite struct PlaybackTests {
    private func get(_ url: String, _ headers: HTTPHeaders = [:]) -> RecordedRequest {
        RecordedRequest(method: "GET", url: url, headers: headers)
    }

    private func body(_ interaction: Interaction) -> String { String(decoding: interaction.response.body, as: UTF8.self) }

    @Test func theGatewaysThreeFormatsAreAnsweredByTheCredentialKindSent() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("gateway-models.tape")
        try Fixtures.gateway.write(to: file)
        let playback = Playback(cassette: try Cassette(contentsOf: file))
        let url = "https://gateway.example/v1/models"
        // Live keys differ from whatever was recorded: only the kind counts.
        let anthropic = try playback.play(get(url, ["x-api-key": "sk-ant-live-1", "anthropic-version": "2023-06-01"]))
        let openAI = try playback.play(get(url, ["Authorization": "Bearer sk-live-2"]))
        let gemini = try playback.play(get(url, ["X-Goog-Api-Key": "AIza-live-3"]))
        #expect(body(openAI) == Fixtures.openAIModels)
        #expect(body(gemini) == Fixtures.geminiModels)
        #expect(body(anthropic) == Fixtures.anthropicModels)
    }

    @Test func identicalRequestsGetTheirAnswersInRecordedOrderThenTheLastRepeats() throws {
        let cassette = Cassette(name: "pages", interactions: ["first", "second", "third"].map {
            Fixtures.listModels(body: $0)
        })
        let playback = Playback(cassette: cassette)
        let request = get("https://api.deepseek.com/models", ["Authorization": "Bearer sk-x"])
        let answers = try (0..<5).map { _ in body(try playback.play(request)) }
        #expect(answers == ["first", "second", "third", "third", "third"])
        #expect(playback.playCounts == [1, 1, 3])
    }

    @Test func runningOutIsAnErrorWhenRepeatingIsSwitchedOff() throws {
        let playback = Playback(cassette: Cassette(name: "once", interactions: [Fixtures.listModels()]),
                                configuration: MatchConfiguration(whenExhausted: .fail))
        let request = get("https://api.deepseek.com/models", ["Authorization": "Bearer sk-x"])
        _ = try playback.play(request)
        let error = #expect(throws: TapeDeckError.self) { try playback.play(request) }
        #expect(error?.kind == .exhausted)
        #expect(error?.description.contains("already played (#1)") == true)
    }

    @Test func queryOrderDoesNotMatterButItsValuesDo() throws {
        let playback = Playback(cassette: Cassette(name: "q", interactions: [
            Fixtures.listModels("https://g.example/v1beta/models?pageSize=2&pageToken=abc", redacted: [.query("key")], body: "page 2"),
        ]))
        let hit = try playback.play(get("https://g.example/v1beta/models?key=AIzaLive&pageToken=abc&pageSize=2"))
        #expect(body(hit) == "page 2")
        let error = #expect(throws: TapeDeckError.self) { try playback.play(get("https://g.example/v1beta/models?key=AIzaLive&pageToken=xyz&pageSize=2")) }
        #expect(error?.description.contains("differs in query parameter pageToken: 'xyz' in the request, 'abc' recorded") == true)
    }

    @Test func jsonBodiesAreComparedAsJSON() throws {
        let recorded = Fixtures.streamed  // body {"model":"deepseek-chat","stream":true}
        let playback = Playback(cassette: Cassette(name: "chat", interactions: [recorded]))
        var request = recorded.request
        request.headers.append(name: "Authorization", value: "Bearer sk-live")
        request.redacted = []
        request.body = Data(#"{ "stream" : true, "model" : "deepseek-chat" }"#.utf8)
        #expect(try playback.play(request).response.chunks?.count == 3)
        request.body = Data(#"{"stream":true,"model":"deepseek-reasoner"}"#.utf8)
        let error = #expect(throws: TapeDeckError.self) { try playback.play(request) }
        #expect(error?.description.contains("differs in body: $.model is '\"deepseek-reasoner\"' in the request, '\"deepseek-chat\"' recorded") == true)
    }

    @Test func whichPartsCountIsConfigurable() throws {
        var configuration = MatchConfiguration.standard
        configuration.matchers.removeAll { $0.name == "body" || $0.name == "credentials" }
        let playback = Playback(cassette: Cassette(name: "chat", interactions: [Fixtures.streamed]), configuration: configuration)
        let answer = try playback.play(RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", body: Data("anything".utf8)))
        #expect(answer.response.status == 200)
    }

    @Test func aCustomPredicateAndACustomPartNarrowTheMatch() throws {
        let cassette = Cassette(name: "tenants", interactions: [
            Fixtures.listModels(headers: ["x-tenant": "a"], body: "tenant a"),
            Fixtures.listModels(headers: ["x-tenant": "b"], body: "tenant b"),
        ])
        var byTenant = MatchConfiguration.standard
        byTenant.matchers.append(RequestMatcher(name: "tenant") { $0.headers["x-tenant"] ?? "" })
        let tenants = Playback(cassette: cassette, configuration: byTenant)
        #expect(body(try tenants.play(get("https://api.deepseek.com/models", ["Authorization": "Bearer k", "X-Tenant": "b"]))) == "tenant b")

        var onlyB = MatchConfiguration.standard
        onlyB.predicate = { _, recorded in recorded.request.headers["x-tenant"] == "b" }
        let filtered = Playback(cassette: cassette, configuration: onlyB)
        #expect(body(try filtered.play(get("https://api.deepseek.com/models", ["Authorization": "Bearer k"]))) == "tenant b")
    }

    @Test func aMissShowsTheRequestAndTheClosestInteractionsWithWhatDiffers() throws {
        var cassette = Fixtures.gateway
        cassette.interactions.append(Interaction(
            request: RecordedRequest(method: "POST", url: "https://gateway.example/v1/chat", body: Data(#"{"model":"gpt-4"}"#.utf8), redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200)))
        let playback = Playback(cassette: cassette, source: "cassettes/gateway-models.tape")
        let error = #expect(throws: TapeDeckError.self) {
            try playback.play(get("https://gateway.example/v1/models?page=2", ["x-api-key": "sk-ant-live"]))
        }
        let message = try #require(error?.description)
        #expect(error?.kind == .noMatch)
        #expect(message.contains("GET https://gateway.example/v1/models?page=2 [credentials: header:x-api-key]"))
        #expect(message.contains("in cassettes/gateway-models.tape (4 interactions)"))
        #expect(!message.contains("sk-ant-live"), "a miss report never shows a credential value")
        // The Anthropic-format recording is the closest: same kind, but the query and the
        // anthropic-version header differ.
        let closest = try #require(message.range(of: "#3 GET"))
        let next = message.range(of: "  #", range: closest.upperBound..<message.endIndex)?.lowerBound ?? message.endIndex
        let firstCandidate = message[closest.lowerBound..<next]
        #expect(firstCandidate.contains("query parameter page: only in the request (2)"))
        #expect(firstCandidate.contains("header anthropic-version: absent in the request, '2023-06-01' recorded"))
        #expect(message.contains("credentials: the request sent header:x-api-key, the recorded one header:authorization"))

        let post = #expect(throws: TapeDeckError.self) {
            try playback.play(RecordedRequest(method: "PUT", url: "https://gateway.example/v1/chat", headers: ["Authorization": "Bearer k"], body: Data(#"{"model":"gpt-5"}"#.utf8)))
        }
        #expect(post?.description.contains("#4 POST https://gateway.example/v1/chat") == true)
        #expect(post?.description.contains("differs in method: 'PUT' in the request, 'POST' recorded") == true)
        #expect(post?.description.contains("differs in body: $.model is '\"gpt-5\"' in the request, '\"gpt-4\"' recorded") == true)
        let path = #expect(throws: TapeDeckError.self) { try playback.play(get("https://gateway.example/v2/models", ["Authorization": "Bearer k"])) }
        #expect(path?.description.contains("differs in path: '/v2/models' in the request, '/v1/models' recorded") == true)
    }

    @Test func unplayedInteractionsAreListed() throws {
        let playback = Playback(cassette: Fixtures.gateway)
        _ = try playback.play(get("https://gateway.example/v1/models", ["Authorization": "Bearer k"]))
        #expect(playback.unplayed.map(\.index) == [1, 2])
    }

    @Test func concurrentPlaysEachGetTheirOwnAnswer() async throws {
        let cassette = Cassette(name: "many", interactions: (0..<50).map {
            Fixtures.listModels("https://api.deepseek.com/models?n=\($0)", body: "answer \($0)")
        })
        let playback = Playback(cassette: cassette)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for index in 0..<500 {
                        let n = (index * 7 + task) % 50
                        let answer = try? playback.play(self.get("https://api.deepseek.com/models?n=\(n)", ["Authorization": "Bearer k"]))
                        if answer.map(self.body) != "answer \(n)" { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }
}

extension PlaybackTests {
    @Test func nearMissesAreRankedByHowFarApartTheyAre() throws {
        let playback = Playback(cassette: Fixtures.gateway)
        let error = #expect(throws: TapeDeckError.self) {
            try playback.play(get("https://gateway.example/v1/models", ["x-api-key": "sk-ant-1"]))
        }
        // Same credential kind, missing anthropic-version: closer than a different credential kind.
        let lines = error?.description.split(separator: "\n").map(String.init) ?? []
        #expect(lines.count == 10)
        #expect(lines[4].hasPrefix("  #3 GET https://gateway.example/v1/models [credentials: header:x-api-key] -> 200"))
        #expect(lines[5] == "      differs in header anthropic-version: absent in the request, '2023-06-01' recorded")
    }
}
