import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// What one configuration tells a player: live mode, errors left out of recordings, pruning, and
/// what the glue keeps from a test that failed. Real URLSession requests, a real HTTP server on
/// 127.0.0.1 as the upstream, real cassette files.
@Suite struct ReplayConfigurationTests {
    /// `/models` answers 200 with a count; `/busy` 503 and `/limited` 429 with Retry-After.
    func upstream() throws -> LoopbackServer {
        let count = Locked(0)
        return try LoopbackServer { request in
            let number = count.withLock { count in count += 1; return count }
            switch request.path {
            case "/busy": return .init(status: 503, headers: [("Content-Type", "application/json")], pieces: [Data(#"{"error":"overloaded"}"#.utf8)])
            case "/limited": return .init(status: 429, headers: [("Retry-After", "1")], pieces: [Data(#"{"error":"slow down"}"#.utf8)])
            default: return .init(status: 200, headers: [("Content-Type", "application/json")], pieces: [Data(#"{"live":\#(number)}"#.utf8)])
            }
        }
    }

    func player(_ url: URL, _ configuration: ReplayConfiguration, environment: [String: String] = [:]) throws -> CassettePlayer {
        try CassettePlayer(contentsOf: url, configuration: configuration, environment: environment)
    }

    // MARK: - Live

    @Test func liveAsksTheRealAPIAndNeitherReadsNorWritesTheCassette() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassette(name: "recorded", interactions: [
            Cassettes.get("\(server.baseURL)/models", [], body: "recorded answer"),
        ]), to: directory)
        let before = try Data(contentsOf: file)

        let live = try player(file, ReplayConfiguration(mode: .live, pruneUnplayed: true))
        #expect(live.mode == .live)
        let session = live.makeSession()
        let (first, _) = try await session.data(for: urlRequest("\(server.baseURL)/models", [:]))
        let (second, _) = try await session.data(for: urlRequest("\(server.baseURL)/models", [:]))
        try live.finish()
        #expect([text(first), text(second)] == [#"{"live":1}"#, #"{"live":2}"#], "every request gets the live answer, never the recording")
        #expect(server.requests.count == 2)
        #expect(live.recordedCount == 0)
        #expect(live.requests.count == 2, "what was sent is still there for assertions")
        #expect(try Data(contentsOf: file) == before, "the cassette is untouched")
    }

    @Test func liveWritesNoFileWhereThereWasNone() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.file("never.tape")
        let live = try player(file, ReplayConfiguration(mode: .live))
        _ = try await live.makeSession().data(for: urlRequest("\(server.baseURL)/models", [:]))
        try live.finish()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func stubsStillAnswerInLiveMode() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let live = try player(directory.file("stubbed.tape"), ReplayConfiguration(mode: .live))
        live.stub(Interaction(request: RecordedRequest(method: "GET", url: "\(server.baseURL)/models"),
                              response: RecordedResponse(status: 200, headers: [:], body: Data("made in code".utf8))))
        let (data, _) = try await live.makeSession().data(for: urlRequest("\(server.baseURL)/models", [:]))
        try live.finish()
        #expect(text(data) == "made in code")
        #expect(server.requests.isEmpty)
    }

    @Test func liveIsRefusedOnCIUnlessTheEnvironmentAsksForIt() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("nightly.tape")
        let error = #expect(throws: ReplayError.self) { try player(file, ReplayConfiguration(mode: .live), environment: ["CI": "true"]) }
        #expect(error?.kind == .recordingRefused)
        #expect(error?.description.contains("TAPEDECK_MODE=live") == true)
        let forced = try player(file, .standard, environment: ["CI": "true", "TAPEDECK_MODE": "live"])
        #expect(forced.mode == .live)
    }

    // MARK: - Errors in recordings

    @Test func serverErrorsAndRateLimitsAreAnsweredButNotRecorded() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.file("errors.tape")
        let recorder = try player(file, ReplayConfiguration(mode: .recordMissing))
        let session = recorder.makeSession()
        let (_, busy) = try await session.data(for: urlRequest("\(server.baseURL)/busy", [:]))
        let (_, limited) = try await session.data(for: urlRequest("\(server.baseURL)/limited", [:]))
        let (_, again) = try await session.data(for: urlRequest("\(server.baseURL)/busy", [:]))
        _ = try await session.data(for: urlRequest("\(server.baseURL)/models", [:]))
        try recorder.finish()
        #expect([busy, limited, again].compactMap { ($0 as? HTTPURLResponse)?.statusCode } == [503, 429, 503])
        #expect(server.requests.map(\.path) == ["/busy", "/limited", "/busy", "/models"], "an error not recorded is not replayed: the retry goes out")
        #expect(try Cassette(contentsOf: file).interactions.map(\.request.url) == ["\(server.baseURL)/models"])
        #expect(recorder.recordedCount == 1)
    }

    @Test func recordErrorsKeepsThemWhenAsked() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.file("errors.tape")
        let recorder = try player(file, ReplayConfiguration(mode: .recordMissing, recordErrors: true))
        _ = try await recorder.makeSession().data(for: urlRequest("\(server.baseURL)/limited", [:]))
        try recorder.finish()
        #expect(try Cassette(contentsOf: file).interactions.map(\.response.status) == [429])
    }

    // MARK: - Pruning

    private func staleCassette(_ server: LoopbackServer, in directory: TemporaryDirectory) throws -> URL {
        var stub = Interaction(request: RecordedRequest(method: "GET", url: "\(server.baseURL)/stubbed"),
                               response: RecordedResponse(status: 200, headers: [:], body: Data("stub".utf8)))
        stub = stub.asStub
        return try Cassettes.write(Cassette(name: "stale", interactions: [
            Cassettes.get("\(server.baseURL)/a", [], body: "a"),
            Cassettes.get("\(server.baseURL)/gone", [], body: "nobody asks any more"),
            stub,
        ]), to: directory)
    }

    @Test func pruneUnplayedDropsTheRecordingsNobodyPlayedAndKeepsStubsAndNewOnes() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try staleCassette(server, in: directory)
        let recorder = try player(file, ReplayConfiguration(mode: .recordMissing, pruneUnplayed: true))
        let session = recorder.makeSession()
        let (a, _) = try await session.data(for: urlRequest("\(server.baseURL)/a", [:]))
        _ = try await session.data(for: urlRequest("\(server.baseURL)/new", [:]))
        try recorder.finish()
        #expect(text(a) == "a")
        let kept = try Cassette(contentsOf: file).interactions
        #expect(kept.map(\.request.url) == ["\(server.baseURL)/a", "\(server.baseURL)/stubbed", "\(server.baseURL)/new"])
        #expect(kept[1].stub != nil, "a stub is not a stale recording")
    }

    @Test func withoutPruningTheStaleRecordingStays() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try staleCassette(server, in: directory)
        let recorder = try player(file, ReplayConfiguration(mode: .recordMissing))
        _ = try await recorder.makeSession().data(for: urlRequest("\(server.baseURL)/a", [:]))
        try recorder.finish()
        #expect(try Cassette(contentsOf: file).interactions.count == 3)
    }

    @Test func pruningInReplayModeChangesNothing() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try staleCassette(server, in: directory)
        let before = try Data(contentsOf: file)
        let replay = try player(file, ReplayConfiguration(pruneUnplayed: true))
        _ = try await replay.makeSession().data(for: urlRequest("\(server.baseURL)/a", [:]))
        try replay.finish()
        #expect(try Data(contentsOf: file) == before)
    }
}

/// The spellings with each setting a parameter of its own still compile (deprecated) and build
/// the configuration the new spelling takes. Deprecated itself, so calling them warns nowhere.
@Suite struct SeparateValueSpellingTests {
    @available(*, deprecated, message: "exercises the deprecated spellings")
    private static func separateValues(_ file: URL) throws -> (CassettePlayer, CassettePlayer) {
        let timing = ReplayTiming.recorded(scale: 0.5)
        let old = try CassettePlayer(contentsOf: file, mode: .replay, timing: timing, matching: .standard.ignoringBodyFields(["user"]))
        let named = try CassettePlayer(named: "gateway-models", from: .folder(file.deletingLastPathComponent()), mode: .replay, timing: timing)
        return (old, named)
    }

    @Test @available(*, deprecated, message: "exercises the deprecated spellings")
    func theOldSpellingsStillCompileAndCarryTheirSettings() throws {
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassettes.gateway, to: directory)
        let (old, named) = try Self.separateValues(file)
        #expect(old.mode == .replay && named.mode == .replay)
        #expect(old.timing.scale == 0.5 && named.timing.scale == 0.5)
        #expect(old.configuration.requireAllPlayed, "what the old spelling cannot say keeps its default")
        let trait: CassetteTrait = .cassette("gateway-models", from: .folder(directory.url), mode: .replay, requireAllPlayed: false)
        #expect(trait.scopeProvider(for: try #require(Test.current), testCase: Test.Case.current) != nil)
    }
}

extension ReplayConfigurationTests {
    @Test func liveFromTheEnvironmentWinsOverARecordingModeAndWritesNothing() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.file("asked-to-record.tape")
        let player = try player(file, ReplayConfiguration(mode: .recordAll, recordErrors: true), environment: ["TAPEDECK_MODE": "live"])
        #expect(player.mode == .live)
        _ = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/models", [:]))
        try player.finish()
        #expect(server.requests.count == 1)
        #expect(!FileManager.default.fileExists(atPath: file.path), "live never writes, even where the code asks to record")
    }
}
