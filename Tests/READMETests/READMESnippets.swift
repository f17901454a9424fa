// The README's Swift snippets, verbatim: this file compiles them and runs them as tests, and
// READMESnippetsTests checks the README still says exactly this. Edit both together.

// snippet: xctest
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeckReplay
import XCTest

final class CatalogTests: XCTestCase {
    func testListsDeepSeekModels() async throws {
        // Finds cassettes/deepseek-models.tape above this file. A miss, an interaction never
        // requested or a missing cassette becomes a test failure at this line.
        try await withCassette("deepseek-models") { player in
            let session = player.makeSession()   // a URLSession with the replay protocol
            for path in ["models", "v1/models"] {
                var request = URLRequest(url: URL(string: "https://api.deepseek.com/\(path)")!)
                request.setValue("Bearer any-key", forHTTPHeaderField: "Authorization")
                let (data, _) = try await session.data(for: request)
                XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("deepseek-chat"))
            }
        }
    }
}
// end

// snippet: swift-testing
import Testing

@Test(.cassette("gateway-models"))
func gatewayAnswersByCredentialKind() async throws {
    let session = try #require(CassettePlayer.current).makeSession()
    for header in ["Authorization", "x-goog-api-key", "x-api-key"] {
        var request = URLRequest(url: URL(string: "https://gateway.example.com/v1/models")!)
        request.setValue(header == "Authorization" ? "Bearer any-key" : "any-key", forHTTPHeaderField: header)
        if header == "x-api-key" { request.setValue("2023-06-01", forHTTPHeaderField: "anthropic-version") }
        let (_, response) = try await session.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }
}
// end

// snippet: llm-tests
import TapeDeck
import TapeDeckReplay
import Testing

@Test func theChatClientRetriesARateLimitAndSendsThePrompt() async throws {
    // Recorded interactions and answers made in code, side by side; "user" varies per run.
    let player = CassettePlayer(cassette: Cassette(name: "chat"), matching: .standard.ignoringBodyFields(["user"]))
    player.stub(try Stub.error(.openAI, status: 429, retryAfter: 0).answering(times: 1),
                Stub.openAIChat("Paris.", model: "deepseek-chat"))
    let client = ChatClient(session: player.makeSession())       // the code under test
    #expect(try await client.ask("Capital of France?") == "Paris.")

    struct Sent: Decodable { var model: String; var messages: [[String: String]] }
    let sent = try player.requests.map { try $0.decodedBody(as: Sent.self) }
    #expect(sent.count == 2, "asked, rate-limited, asked again")
    #expect(sent.allSatisfy { $0.model == "deepseek-chat" && $0.messages.last?["content"] == "Capital of France?" })
}
// end

// snippet: suites
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeckReplay
import Testing

// One value for the player, the server and the glue. TAPEDECK_MODE=record-missing re-records:
// 5xx and 429 answers are left out, a test that fails keeps nothing, and pruneUnplayed drops
// what no test asks for any more. TAPEDECK_MODE=live runs the same suite against the real API.
let catalogConfiguration = ReplayConfiguration(timing: .instant, pruneUnplayed: true)

// A named cassette on a suite: one player for its tests, checked when the last one ends.
// With no name, `@Suite(.cassette)` gives each test its own: cassettes/Suite.test.tape.
@Suite(.cassette("deepseek-models", configuration: catalogConfiguration))
struct DeepSeekCatalogTests {
    @Test func listsModels() async throws { try await expectModels(at: "models") }
    @Test func listsModelsUnderV1() async throws { try await expectModels(at: "v1/models") }

    private func expectModels(at path: String) async throws {
        var request = URLRequest(url: URL(string: "https://api.deepseek.com/\(path)")!)
        request.setValue("Bearer any-key", forHTTPHeaderField: "Authorization")
        let (data, _) = try await #require(CassettePlayer.current).makeSession().data(for: request)
        #expect(String(decoding: data, as: UTF8.self).contains("deepseek-chat"))
    }
}
// end

// snippet: core
import TapeDeck

func recordAndReplay(_ interaction: Interaction, into url: URL) throws {
    // Record: redact, then append (one gzip member per interaction: constant cost, crash-safe).
    var redactor = Redactor()                                  // the standard credential rules
    let appender = try CassetteAppender(creating: url, name: "deepseek-models", overwrite: true)
    try appender.append(redactor.redact(interaction))
    try appender.close()
    try Cassette.compact(at: url)                              // one member, byte-stable, for git

    // Replay: match a live request against the recording.
    let cassette = try Cassette(contentsOf: url)
    cassette.warnings.forEach { print($0) }                    // a file cut short by a crash
    let playback = Playback(cassette: cassette)
    let answer = try playback.play(RecordedRequest(method: "GET", url: "https://api.deepseek.com/models",
                                                   headers: ["Authorization": "Bearer sk-live-key"]))
    print(answer.response.status)
}
// end

// snippet: server
import TapeDeckServer

@Test func aClientThatBuildsItsOwnSessionSeesA429ThenTheRecording() async throws {
    let rateLimited = try Fault("GET /models status=429 header=Retry-After:1 times=1")
    try await withCassetteServer("deepseek-models", configuration: ReplayConfiguration(requireAllPlayed: false), faults: [rateLimited]) { server in
        // Any client, in this process or another: give it server.baseURL as its base URL.
        var request = URLRequest(url: server.baseURL.appendingPathComponent("models"))
        request.setValue("Bearer any-key", forHTTPHeaderField: "Authorization")
        let session = URLSession(configuration: .ephemeral)
        let (_, first) = try await session.data(for: request)
        #expect((first as? HTTPURLResponse)?.statusCode == 429)
        let (data, second) = try await session.data(for: request)
        #expect((second as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("deepseek-chat"))
    }
}
// end
