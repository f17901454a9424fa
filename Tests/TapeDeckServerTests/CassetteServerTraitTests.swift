import Foundation
import TapeDeck
import TapeDeckReplay
import Testing
import XCTest
@testable import TapeDeckServer

/// The test helpers, on the shipped cassettes (this package's `cassettes/` folder).
@Suite struct CassetteServerTraitTests {
    @Test(.cassetteServer("deepseek-models"))
    func theTraitServesTheCassetteAsCurrentForTheTest() async throws {
        let server = try #require(CassetteServer.current)
        #expect(server.name == "deepseek-models")
        for path in ["/models", "/v1/models"] {
            let answer = try await fetch("\(server.baseURL)\(path)", headers: [("Authorization", "Bearer sk-anything")])
            #expect(answer.status == 200)
            #expect(answer.body.contains("deepseek-chat"))
        }
    }

    @Test func withCassetteServerReportsAMissAndTheUnplayedAndStopsTheServer() async throws {
        var baseURL: URL?
        try await withKnownIssue {
            try await withCassetteServer("deepseek-models") { server in
                baseURL = server.baseURL
                #expect(CassetteServer.current === server)
                _ = try await fetch("\(server.baseURL)/embeddings")
            }
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined()
            return text.contains("no recorded interaction matches") || text.contains("never requested")
        }
        let stopped = try #require(baseURL)
        #expect(try await refusesConnections(stopped), "the server was stopped when the helper returned")
    }

    @Test func withCassetteServerReportsACassetteThatCannotBeFoundAndSkipsTheBody() async throws {
        var ran = false
        await withKnownIssue {
            await withCassetteServer("no-such-cassette") { _ in ran = true }
        } matching: { issue in
            issue.comments.map(\.rawValue).joined().contains("no cassette 'no-such-cassette'")
        }
        #expect(!ran)
    }
}

/// XCTest: failures at the caller's line, no failure when everything is played.
final class WithCassetteServerXCTests: XCTestCase {
    func testReplaysTheGatewayCassetteForEachFormat() async throws {
        try await withCassetteServer("gateway-models") { server in
            let openAI = try await fetch("\(server.baseURL)/v1/models", headers: [("Authorization", "Bearer sk-x")])
            let gemini = try await fetch("\(server.baseURL)/v1/models", headers: [("x-goog-api-key", "g-x")])
            let anthropic = try await fetch("\(server.baseURL)/v1/models", headers: [("x-api-key", "a-x"), ("anthropic-version", "2023-06-01")])
            XCTAssertTrue(openAI.body.contains(#""object":"list""#))
            XCTAssertTrue(gemini.body.contains(#""models""#))
            XCTAssertTrue(anthropic.body.contains(#""has_more""#))
        }
    }
}
