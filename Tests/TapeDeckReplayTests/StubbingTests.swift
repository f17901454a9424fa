import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
import TapeDeckReplay

/// `player.stub(...)`: answers made in code beside the recorded ones, through a real URLSession.
@Suite struct StubbingTests {
    @Test func aRateLimitOnceThenTheRecordedAnswerReachesURLSession() async throws {
        let player = CassettePlayer(cassette: Cassettes.deepseek_)
        player.stub(try Stub.error(.openAI, status: 429, retryAfter: 1, method: "GET", url: "https://api.deepseek.com/models").answering(times: 1))
        let session = player.makeSession()
        let (limitedBody, limited) = try await session.data(for: urlRequest("https://api.deepseek.com/models"))
        let http = try #require(limited as? HTTPURLResponse)
        #expect(http.statusCode == 429)
        #expect(http.value(forHTTPHeaderField: "Retry-After") == "1")
        #expect(String(decoding: limitedBody, as: UTF8.self).contains("rate_limit_exceeded"))
        let (body, response) = try await session.data(for: urlRequest("https://api.deepseek.com/models"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("deepseek-reasoner"), "the retry gets the recording")
        #expect(player.failures.isEmpty)
        #expect(player.requests.count == 2)
        try player.finish()
    }

    @Test func aStreamedStubReachesADataDelegateEventByEvent() async throws {
        let player = CassettePlayer(cassette: Cassette(name: "empty"))
        player.stub(Stub.anthropicMessages("One two three", stream: true))
        let collector = ChunkCollector()
        let session = player.makeSession(delegate: collector)
        var request = urlRequest(Stub.anthropicMessagesURL, method: "POST", ["x-api-key": "sk-ant-test"], body: #"{"stream":true}"#)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        session.dataTask(with: request).resume()
        let outcome = try await collector.finished()
        #expect(outcome.chunks.count == 9, "message_start, block start, ping, 3 deltas, block stop, message_delta, message_stop: one piece each")
        let last = try #require(outcome.chunks.last)
        #expect(String(decoding: last.data, as: UTF8.self).hasPrefix("event: message_stop"))
        try player.finish()
        try player.assertAllPlayed()
    }

    @Test func aStubThatNothingRequestedDoesNotFailTheAllPlayedCheck() throws {
        let player = CassettePlayer(cassette: Cassette(name: "empty"))
        player.stub(Stub.geminiModels())
        try player.assertAllPlayed()
    }
}
