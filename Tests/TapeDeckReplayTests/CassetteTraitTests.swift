import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeckTestSupport
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// Cassettes for the trait tests: traits are built when tests are discovered, so the folder is
/// made once, on first use.
enum TraitFixtures {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-trait-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Cassettes.gateway.write(to: folder.appendingPathComponent("gateway-models.tape"))
        for test in ["first", "second"] {
            try? Cassette(name: test, interactions: [Cassettes.get("https://gateway.example/\(test)", [], body: test)])
                .write(to: folder.appendingPathComponent("EachTestItsOwnCassetteTests.\(test).tape"))
        }
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
            await withCassette("gateway-models", from: .folder(TraitFixtures.folder), configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
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

/// A suite given `.cassette` with no name: each test gets a player and a cassette of its own,
/// named after it, so the tests may run in parallel. Each plays its whole cassette, or the
/// all-played check fails it.
@Suite(.cassette(from: .folder(TraitFixtures.folder), configuration: .standard))
struct EachTestItsOwnCassetteTests {
    private func plays(_ test: String) async throws {
        let player = try #require(CassettePlayer.current)
        #expect(player.cassetteURL?.lastPathComponent == "EachTestItsOwnCassetteTests.\(test).tape")
        let (data, _) = try await player.makeSession().data(for: urlRequest("https://gateway.example/\(test)", [:]))
        #expect(text(data) == test)
    }

    @Test func first() async throws { try await plays("first") }
    @Test func second() async throws { try await plays("second") }
}

/// A suite given a named cassette: one player for all its tests, checked when the last ends.
/// Each test plays one of the three interactions; had each its own player, each would leave two
/// unplayed and fail.
@Suite(.cassette("gateway-models", from: .folder(TraitFixtures.folder), configuration: .standard))
struct SharedSuiteCassetteTests {
    private func answer(_ headers: [String: String]) async throws -> String {
        let player = try #require(CassettePlayer.current)
        #expect(player.cassetteURL?.lastPathComponent == "gateway-models.tape")
        let (data, _) = try await player.makeSession().data(for: urlRequest("https://gateway.example/v1/models", headers))
        return text(data)
    }

    @Test func openAI() async throws { #expect(try await answer(["Authorization": "Bearer sk-1"]) == Cassettes.openAI) }
    @Test func gemini() async throws { #expect(try await answer(["x-goog-api-key": "AIza-2"]) == Cassettes.gemini) }
    @Test func anthropic() async throws {
        #expect(try await answer(["x-api-key": "sk-ant-3", "anthropic-version": "2023-06-01"]) == Cassettes.anthropic)
    }
}

@Suite struct TraitScopeTests {
    @Test func aBareCassetteTraitScopesEveryTestCase() throws {
        let trait: CassetteTrait = .cassette
        #expect(trait.isRecursive)
        #expect(trait.scopeProvider(for: try #require(Test.current), testCase: Test.Case.current) != nil)
    }

    @Test(arguments: [1, 2])
    func parameterizedCasesThatWouldRecordIntoOneCassetteInParallelAreRefused(_ number: Int) throws {
        let test = try #require(Test.current)
        let refusal = TraitScope.parallelRecordingRefusal(for: test, name: "shared", mode: .recordMissing)
        #expect(refusal?.contains("mark the test .serialized") == true)
        #expect(TraitScope.parallelRecordingRefusal(for: test, name: "shared", mode: .replay) == nil, "replaying in parallel is fine")
    }

    @Test(.serialized, arguments: [1, 2])
    func serializedCasesMayRecord(_ number: Int) throws {
        #expect(TraitScope.parallelRecordingRefusal(for: try #require(Test.current), name: "shared", mode: .recordMissing) == nil)
    }

    #if compiler(>=6.3)
    @Test func theTraitDiscardsWhatATestWithAFailedExpectationRecorded() async throws {
        let server = try LoopbackServer { _ in .init(status: 200, headers: [], pieces: [Data("live".utf8)]) }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let folder = directory.url
        let trait = CassetteTrait.cassette("traced", from: .folder(folder), configuration: ReplayConfiguration(mode: .recordMissing))
        let test = try #require(Test.current)
        try await Swallowing.issues(saying: "the answer was wrong") {
            try await TestEnvironment.$variables.withValue([:]) {
                try await trait.provideScope(for: test, testCase: Test.Case.current) {
                    let player = try #require(CassettePlayer.current)
                    _ = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/models", [:]))
                    #expect(player.recordedCount == 1)
                    #expect(Bool(false), "the answer was wrong")
                }
            }
        }
        #expect(server.requests.count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.file("traced.tape").path), "nothing of the failed test is kept")
    }
    #endif
}
