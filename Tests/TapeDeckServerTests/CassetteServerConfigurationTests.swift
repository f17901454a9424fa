import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TapeDeck
import TapeDeckProxy
@testable import TapeDeckReplay
import TapeDeckTestSupport
import Testing
@testable import TapeDeckServer

/// An upstream that answers `/busy` 503 and everything else 200 with a count.
final class BusyUpstream: ExchangeHandler {
    let requests = Locked(0)

    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let number = requests.withLock { count in count += 1; return count }
        if request.head.uri.hasPrefix("/busy") {
            try await writer.respond(status: .serviceUnavailable, headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"error":"busy"}"#))
        } else {
            try await writer.respond(status: .ok, headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"live":\#(number)}"#))
        }
    }
}

/// One configuration for a cassette server: live, errors left out, pruning, and the glue's
/// discarding of a failed test's recording. Real HTTP through AsyncHTTPClient, a real upstream.
@Suite struct CassetteServerConfigurationTests {
    private func start(_ file: URL, _ upstream: URL, _ configuration: ReplayConfiguration) async throws -> CassetteServer {
        try await CassetteServer.start(contentsOf: file, upstream: upstream, configuration: configuration, faults: [], port: 0, environment: [:])
    }

    @Test func liveForwardsEveryRequestAndLeavesTheCassetteAlone() async throws {
        let upstream = BusyUpstream()
        let running = try await RunningUpstream(upstream)
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassette(name: "recorded", interactions: [Cassettes.get("\(running.baseURL)/models", body: "recorded")]), to: directory)
        let before = try Data(contentsOf: file)
        let server = try await start(file, running.baseURL, ReplayConfiguration(mode: .live))
        let first = try await fetch("\(server.baseURL)/models")
        let second = try await fetch("\(server.baseURL)/models")
        await server.stop()
        await running.stop()
        #expect([first.body, second.body] == [#"{"live":1}"#, #"{"live":2}"#])
        #expect(server.failures.isEmpty)
        #expect(server.requests.count == 2)
        #expect(try Data(contentsOf: file) == before)
    }

    @Test func aServerErrorIsAnsweredButNotRecordedUnlessAsked() async throws {
        let upstream = BusyUpstream()
        let running = try await RunningUpstream(upstream)
        let directory = try TemporaryDirectory()
        for recordErrors in [false, true] {
            let file = directory.file("busy-\(recordErrors).tape")
            let server = try await start(file, running.baseURL, ReplayConfiguration(mode: .recordMissing, recordErrors: recordErrors))
            let busy = try await fetch("\(server.baseURL)/busy")
            _ = try await fetch("\(server.baseURL)/models")
            await server.stop()
            #expect(busy.status == 503)
            #expect(server.failures.isEmpty, "an error left out on purpose is not a failure")
            let statuses = try Cassette(contentsOf: file).interactions.map(\.response.status)
            #expect(statuses == (recordErrors ? [503, 200] : [200]))
        }
        await running.stop()
    }

    @Test func pruneUnplayedDropsWhatNobodyAskedForWhenTheServerStops() async throws {
        let upstream = BusyUpstream()
        let running = try await RunningUpstream(upstream)
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassette(name: "stale", interactions: [
            Cassettes.get("\(running.baseURL)/kept", body: "kept"), Cassettes.get("\(running.baseURL)/gone", body: "gone"),
        ]), to: directory)
        let server = try await start(file, running.baseURL, ReplayConfiguration(mode: .recordMissing, pruneUnplayed: true))
        let kept = try await fetch("\(server.baseURL)/kept", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        _ = try await fetch("\(server.baseURL)/new")
        await server.stop()
        await server.stop()  // a second stop prunes nothing more
        await running.stop()
        #expect(kept.body == "kept")
        #expect(try Cassette(contentsOf: file).interactions.map(\.request.url) == ["\(running.baseURL)/kept", "\(running.baseURL)/new"])
    }

    @Test func withCassetteServerKeepsNothingFromATestThatThrew() async throws {
        struct Boom: Error {}
        let upstream = BusyUpstream()
        let running = try await RunningUpstream(upstream)
        let directory = try TemporaryDirectory()
        let folder = directory.url
        let base = running.baseURL
        await #expect(throws: Boom.self) {
            try await TestEnvironment.$variables.withValue([:]) {
                try await withCassetteServer("thrown", from: .folder(folder), upstream: base,
                                             configuration: ReplayConfiguration(mode: .recordMissing)) { server in
                    _ = try await fetch("\(server.baseURL)/models")
                    throw Boom()
                }
            }
        }
        await running.stop()
        #expect(upstream.requests.withLock { $0 } == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.file("thrown.tape").path))
    }
}

/// Cassettes named after the tests of `EachTestItsOwnServerTests`, made when tests are discovered.
enum ServerTraitFixtures {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-server-trait-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for test in ["first", "second"] {
            try? Cassette(name: test, interactions: [Cassettes.get("https://api.deepseek.com/\(test)", body: test)])
                .write(to: folder.appendingPathComponent("EachTestItsOwnServerTests.\(test).tape"))
        }
        return folder
    }()
}

/// `.cassetteServer` on a suite with no name: a server and cassette per test, named after it.
@Suite(.cassetteServer(from: .folder(ServerTraitFixtures.folder), configuration: .standard))
struct EachTestItsOwnServerTests {
    private func serves(_ test: String) async throws {
        let server = try #require(CassetteServer.current)
        #expect(server.cassetteURL?.lastPathComponent == "EachTestItsOwnServerTests.\(test).tape")
        let answer = try await fetch("\(server.baseURL)/\(test)", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        #expect(answer.body == test)
    }

    @Test func first() async throws { try await serves("first") }
    @Test func second() async throws { try await serves("second") }
}

/// `.cassetteServer("deepseek-models")` on a suite: one server for both tests, each playing one of
/// the shipped cassette's two interactions (a server per test would leave one unplayed in each).
@Suite(.cassetteServer("deepseek-models", configuration: .standard))
struct SharedSuiteServerTests {
    @Test func models() async throws {
        let server = try #require(CassetteServer.current)
        #expect(try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer sk-x")]).status == 200)
    }

    @Test func versionedModels() async throws {
        let server = try #require(CassetteServer.current)
        #expect(try await fetch("\(server.baseURL)/v1/models", headers: [("Authorization", "Bearer sk-x")]).status == 200)
    }
}
