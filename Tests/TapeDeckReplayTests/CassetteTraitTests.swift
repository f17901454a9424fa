import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
import TapeDeckReplay

/// Cassettes for the trait tests: traits are built when tests are discovered, so the folder is
/// made once, on first use.
enum TraitFixtures {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-trait-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Cassettes.gateway.write(to: folder.appendingPathComponent("gateway-models.tape"))
        return folder
    }()
}

@Suite struct CassetteTraitTests {
    @Test(.cassette("gateway-models", from: .folder(TraitFixtures.folder)))
    func theTraitLoadsTheCassetteForTheTest() async throws {
        let session = try #require(CassettePlayer.current).makeSession()
        let url = "https://gateway.example/v1/models"
        let (openAI, _) = try await session.data(for: urlRequest(url, ["Authorization": "Bearer sk-1"]))
        let (gemini, _) = try await session.data(for: urlRequest(url, ["x-goog-api-key": "AIza-2"]))
        let (anthropic, _) = try await session.data(for: urlRequest(url, ["x-api-key": "sk-ant-3", "anthropic-version": "2023-06-01"]))
        #expect([openAI, gemini, anthropic].map(text) == [Cassettes.openAI, Cassettes.gemini, Cassettes.anthropic])
    }

    @Test func withCassetteTurnsAMissIntoAnIssueEvenIfTheCodeSwallowsTheError() async throws {
        await withKnownIssue {
            await withCassette("gateway-models", from: .folder(TraitFixtures.folder), requireAllPlayed: false) { player in
                _ = try? await player.makeSession().data(for: urlRequest("https://gateway.example/v2/models"))
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("no recorded interaction matches the request") }
        }
    }

    @Test func withCassetteReportsInteractionsNeverRequested() async throws {
        try await withKnownIssue {
            try await withCassette("gateway-models", from: .folder(TraitFixtures.folder)) { player in
                _ = try await player.makeSession().data(for: urlRequest("https://gateway.example/v1/models", ["Authorization": "Bearer k"]))
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("2 recorded interactions were never requested") }
        }
    }

    @Test func aCassetteThatCannotBeFoundIsAnIssueAndTheBodyDoesNotRun() {
        var ran = false
        withKnownIssue {
            withCassette("no-such-cassette", from: .folder(TraitFixtures.folder)) { _ in ran = true }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("no-such-cassette.tape") }
        }
        #expect(!ran)
    }
}
