import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// Recording modes against a real HTTP server on 127.0.0.1.
@Suite struct RecordingTests {
    static let key = "sk-recording-secret-0123456789"

    /// Answers `/models` with a listing that echoes the key it was sent (as some upstreams do in
    /// errors), and `/stream` with three server-sent events 30 ms apart.
    private func upstream() throws -> LoopbackServer {
        try LoopbackServer { request in
            if request.path == "/stream" {
                return .init(status: 200, headers: [("Content-Type", "text/event-stream")],
                             pieces: Cassettes.events.map { Data($0.utf8) }, gap: 0.03)
            }
            let sent = request.headers["authorization"] ?? "none"
            return .init(status: 200, headers: [("Content-Type", "application/json")],
                         pieces: [Data(#"{"object":"list","data":[],"seen":"\#(sent)"}"#.utf8)])
        }
    }

    private func recorder(_ url: URL, _ mode: ReplayMode) throws -> CassettePlayer {
        try CassettePlayer(contentsOf: url, mode: mode, timing: .instant, matching: .standard, environment: [:])
    }

    @Test func recordMissingFetchesLiveAppendsRedactedAndThenReplaysOffline() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.file("recorded.tape")

        let player = try recorder(file, .recordMissing)
        let (live, _) = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/models?page=1", ["Authorization": "Bearer \(Self.key)"]))
        #expect(text(live).contains(Self.key), "the caller gets the live answer unchanged")
        try player.finish()
        #expect(player.recordedCount == 1)
        #expect(server.requests.count == 1)

        let bytes = try Data(contentsOf: file)
        let plain = try await sh("gzip -dc '\(file.path)'")
        #expect(bytes.range(of: Data(Self.key.utf8)) == nil)
        #expect(!plain.contains(Self.key))
        #expect(plain.contains(#""redacted":["header:authorization"]"#))

        // Offline now: the same request replays without reaching the server.
        let replay = try recorder(file, .replay)
        let (again, _) = try await replay.makeSession().data(for: urlRequest("\(server.baseURL)/models?page=1", ["Authorization": "Bearer another-key-999999"]))
        // The whole header value was a credential, so the echo of it is replaced whole.
        #expect(text(again) == #"{"object":"list","data":[],"seen":"REDACTED"}"#)
        #expect(server.requests.count == 1)
    }

    @Test func recordMissingOnlyGoesLiveForMisses() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassette(name: "mixed", interactions: [
            Cassettes.get("\(server.baseURL)/models?page=1", [.header("authorization")], body: "recorded page 1"),
        ]), to: directory)
        let player = try recorder(file, .recordMissing)
        let session = player.makeSession()
        let (first, _) = try await session.data(for: urlRequest("\(server.baseURL)/models?page=1"))
        let (second, _) = try await session.data(for: urlRequest("\(server.baseURL)/models?page=2"))
        try player.finish()
        #expect(text(first) == "recorded page 1")
        #expect(text(second).contains("\"seen\""))
        #expect(server.requests.map(\.path) == ["/models?page=2"])
        #expect(try Cassette(contentsOf: file).interactions.map(\.request.url) == ["\(server.baseURL)/models?page=1", "\(server.baseURL)/models?page=2"])
    }

    @Test func recordAllReplacesTheCassette() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassettes.gateway, to: directory)
        let player = try recorder(file, .recordAll)
        _ = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/models"))
        try player.finish()
        let cassette = try Cassette(contentsOf: file)
        #expect(cassette.interactions.map(\.request.url) == ["\(server.baseURL)/models"])
        #expect(cassette.name == "gateway-models")
    }

    @Test func aStreamedAnswerIsRecordedInChunksWithTheirTiming() async throws {
        let server = try upstream()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let file = directory.file("stream.tape")
        let player = try recorder(file, .recordMissing)
        let (data, _) = try await player.makeSession().data(for: urlRequest("\(server.baseURL)/stream"))
        try player.finish()
        #expect(text(data) == Cassettes.events.joined())
        let response = try #require(try Cassette(contentsOf: file).interactions.first?.response)
        let chunks = try #require(response.chunks)
        #if os(Linux)
        // curl (the Linux recorder) hands over each read as it comes; Apple's URLSession may
        // coalesce pieces that arrive close together, so the count is a Linux fact.
        #expect(chunks.count >= 2, "the events arrived 30 ms apart, so curl delivered them separately")
        #endif
        #expect(chunks.map(\.size).reduce(0, +) == response.body.count)
        #expect(chunks.last!.milliseconds >= 50)
    }

    @Test func anUpstreamThatIsDownFailsTheRequestNamingIt() async throws {
        let server = try upstream()
        let port = server.port
        server.stop()
        let directory = try TemporaryDirectory()
        let player = try recorder(directory.file("down.tape"), .recordMissing)
        let error = await #expect(throws: ReplayError.self) {
            _ = try await player.makeSession().data(for: urlRequest("http://127.0.0.1:\(port)/models"))
        }
        #expect(error?.kind == .upstream)
        #expect(error?.description.contains("GET http://127.0.0.1:\(port)/models") == true)
        // The reason after the request is the transport's own words (curl's on Linux,
        // URLError's on Apple platforms): only that there is one is asserted.
        let reason = error?.reason.components(separatedBy: "GET http://127.0.0.1:\(port)/models failed: ").last ?? ""
        #expect(!reason.isEmpty && reason != error?.reason, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: directory.file("down.tape").path), "nothing recorded")
    }
}
