import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
import TapeDeckReplay

/// A prompt that carries a run id and a timestamp still replays, through a real URLSession.
@Suite struct IgnoringBodyFieldsTests {
    static func body(user: String, ts: Int) -> String {
        #"{"model":"deepseek-chat","user":"\#(user)","messages":[{"role":"user","content":"hi","ts":\#(ts)}]}"#
    }

    @Test func aPlayerIgnoringVaryingFieldsAnswersAndStillRecordsWhatWasSent() async throws {
        let recorded = Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", headers: ["Content-Type": "application/json"],
                                     body: Data(Self.body(user: "run-1", ts: 1).utf8), redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"id":"c1"}"#.utf8)))
        let player = CassettePlayer(cassette: Cassette(name: "chat", interactions: [recorded]),
                                    matching: .standard.ignoringBodyFields(["user", "messages[*].ts"]))
        let (data, response) = try await player.makeSession().data(for: urlRequest("https://api.deepseek.com/chat/completions", method: "POST",
            ["Authorization": "Bearer sk-live-test-key", "Content-Type": "application/json"], body: Self.body(user: "run-2", ts: 1_733_000_000)))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(text(data) == #"{"id":"c1"}"#)
        #expect(player.failures.isEmpty)
        #expect(text(player.requests[0].body ?? Data()).contains("run-2"), "what was sent is kept whole")
    }
}
