import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// What the test glue keeps from a test that records: nothing when the test fails (thrown, an
/// expectation that failed), unless asked; a pruned cassette when it passes. Recording needs
/// the network, so the CI guard is lifted for these tests only (`TestEnvironment`).
@Suite struct CassetteChecksTests {
    struct Boom: Error {}

    private func upstream() throws -> LoopbackServer {
        try LoopbackServer { request in .init(status: 200, headers: [("Content-Type", "text/plain")], pieces: [Data("live \(request.path)".utf8)]) }
    }

    /// A cassette `name` in `directory` with `/a` recorded and `/gone` that nobody asks for.
    private func cassette(_ name: String, in directory: TemporaryDirectory, _ server: LoopbackServer) throws -> URL {
        try Cassettes.write(Cassette(name: name, interactions: [
            Cassettes.get("\(server.baseURL)/a", [], body: "a"),
            Cassettes.get("\(server.baseURL)/gone", [], body: "stale"),
        ]), to: directory, as: name)
    }

    private let recording = ReplayConfiguration(mode: .recordMissing, requireAllPlayed: false)

    @Test func aTestThatThrowsKeepsNothingItRecorded() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try cassette("thrown", in: directory, server)
        let before = try Data(contentsOf: file)
        await #expect(throws: Boom.self) {
            try await TestEnvironment.$variables.withValue([:]) {
                try await withCassette("thrown", from: .folder(directory.url), configuration: recording) { player in
                    _ = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/new", [:]))
                    #expect(player.recordedCount == 1)
                    throw Boom()
                }
            }
        }
        #expect(server.requests.count == 1, "the request did reach the upstream")
        #expect(try Data(contentsOf: file) == before, "the cassette is as it was before the test")
    }

    @Test func aCassetteAFailedTestCreatedIsRemoved() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        await #expect(throws: Boom.self) {
            try await TestEnvironment.$variables.withValue([:]) {
                try await withCassette("fresh", from: .folder(directory.url), configuration: recording) { player in
                    _ = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/new", [:]))
                    throw Boom()
                }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("fresh.tape").path))
    }

    #if compiler(>=6.3)
    @Test func aFailedExpectationAlsoDiscardsTheRecording() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try cassette("expected", in: directory, server)
        let before = try Data(contentsOf: file)
        let folder = directory.url
        // The expectation fails inside the glue and is dropped outside it, so this test passes.
        // (`withKnownIssue` would not do: a known issue does not fail a test, and keeps its recording.)
        try await Swallowing.issues(saying: "the code under test got it wrong") {
            await TestEnvironment.$variables.withValue([:]) {
                await withCassette("expected", from: .folder(folder), configuration: recording) { player in
                    _ = try? await player.makeSession().data(for: urlRequest("\(server.baseURL)/new", [:]))
                    #expect(Bool(false), "the code under test got it wrong")
                }
            }
        }
        #expect(server.requests.count == 1)
        #expect(try Data(contentsOf: file) == before)
    }
    #endif

    @Test func keepFailedRecordingsKeepsWhatTheFailedTestRecorded() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try cassette("kept", in: directory, server)
        var configuration = recording
        configuration.keepFailedRecordings = true
        await #expect(throws: Boom.self) {
            try await TestEnvironment.$variables.withValue([:]) {
                try await withCassette("kept", from: .folder(directory.url), configuration: configuration) { player in
                    _ = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/new", [:]))
                    throw Boom()
                }
            }
        }
        #expect(try Cassette(contentsOf: file).interactions.map(\.request.url).last == "\(server.baseURL)/new")
    }

    @Test func aPassingTestKeepsItsRecordingAndPrunesWhatNobodyPlayed() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try cassette("pruned", in: directory, server)
        // The all-played check is on, but pruning drops the unplayed instead of failing the test.
        let configuration = ReplayConfiguration(mode: .recordMissing, pruneUnplayed: true)
        try await TestEnvironment.$variables.withValue([:]) {
            try await withCassette("pruned", from: .folder(directory.url), configuration: configuration) { player in
                let session = player.makeSession()
                _ = try await session.data(for: urlRequest("\(server.baseURL)/a", [:]))
                _ = try await session.data(for: urlRequest("\(server.baseURL)/new", [:]))
            }
        }
        #expect(try Cassette(contentsOf: file).interactions.map(\.request.url) == ["\(server.baseURL)/a", "\(server.baseURL)/new"])
    }

    @Test func withTestCassetteNamesTheCassetteAfterTheTest() async throws {
        let directory = try TemporaryDirectory()
        _ = try Cassettes.write(Cassettes.gateway, to: directory, as: "CassetteChecksTests.withTestCassetteNamesTheCassetteAfterTheTest")
        try await withTestCassette(from: .folder(directory.url), configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
            #expect(player.cassetteURL?.lastPathComponent == "CassetteChecksTests.withTestCassetteNamesTheCassetteAfterTheTest.tape")
            let (data, _) = try await player.makeSession().data(for: urlRequest("https://gateway.example/v1/models"))
            #expect(text(data) == Cassettes.openAI)
        }
    }

    @Test func testNamesAreSpelledSafelyForEveryFileSystem() throws {
        #expect(TestCassetteName.forXCTest(fileID: "AppTests/ModelCatalogTests.swift", function: "testListsModels()") == "ModelCatalogTests.testListsModels")
        #expect(TestCassetteName.spelled(["Outer", "Inner", "answers(question:)"]) == "Outer.Inner.answers")
        #expect(TestCassetteName.spelled(["Café Suite", "a/b:c()"]) == "Caf__Suite.a_b_c")
        #expect(TestCassetteName.spelled(["()"]) == "test")
        #expect(TestCassetteName.forTest(try #require(Test.current)) == "CassetteChecksTests.testNamesAreSpelledSafelyForEveryFileSystem")
    }
}

#if compiler(>=6.3)
/// Drops the issues that carry a comment, outside the scope that must see them, and checks that
/// one was recorded: for tests of what the glue does when a test fails.
enum Swallowing {
    static func issues(saying comment: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let seen = Locked(0)
        let swallow = IssueHandlingTrait.filterIssues { issue in
            guard issue.comments.contains(where: { $0.rawValue.contains(comment) }) else { return true }
            seen.withLock { $0 += 1 }
            return false
        }
        try await swallow.provideScope(for: try #require(Test.current), testCase: Test.Case.current, performing: body)
        #expect(seen.withLock { $0 } == 1, "the failure to swallow was recorded")
    }
}
#endif
