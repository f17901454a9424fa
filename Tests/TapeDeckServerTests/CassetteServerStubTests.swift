import AsyncHTTPClient
import Foundation
import TapeDeck
import TapeDeckReplay
import TapeDeckTestSupport
import Testing
import TapeDeckServer

/// `server.stub(...)`: answers made in code beside the recorded ones, over real HTTP.
@Suite struct CassetteServerStubTests {
    @Test func stubsAnswerBeforeTheRecordingsAndMixWithThem() async throws {
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek)
        server.stub(try Stub.error(.anthropic, status: 529).answering(times: 1), Stub.anthropicMessages("Fine now."))
        let authorization = ("Authorization", "Bearer \(Cassettes.key)")
        let busy = try await fetch("\(server.baseURL)/v1/messages", method: .POST, body: "{}")
        #expect(busy.status == 529)
        #expect(busy.body.contains("overloaded_error"))
        let fine = try await fetch("\(server.baseURL)/v1/messages", method: .POST, body: "{}")
        #expect(fine.status == 200 && fine.body.contains("Fine now."))
        #expect(try await fetch("\(server.baseURL)/models", headers: [authorization]).body.contains("deepseek-chat"), "the recording still answers")
        #expect(server.failures.isEmpty)
        await server.stop()
    }
}
