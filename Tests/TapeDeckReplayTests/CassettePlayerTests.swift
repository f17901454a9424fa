import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
@testable import TapeDeckReplay

func urlRequest(_ url: String, method: String = "GET", _ headers: [String: String] = ["Authorization": "Bearer sk-live-test-key"], body: String? = nil) -> URLRequest {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body.map { Data($0.utf8) }
    return request
}

func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

@Suite struct CassettePlayerTests {
    private func player(_ cassette: Cassette = Cassettes.deepseek_, in directory: TemporaryDirectory, timing: ReplayTiming = .instant,
                        matching: MatchConfiguration = .standard) throws -> CassettePlayer {
        try CassettePlayer(contentsOf: Cassettes.write(cassette, to: directory), mode: .replay, timing: timing, matching: matching, environment: [:])
    }

    // MARK: Call styles

    @Test func asyncDataForGetsTheRecordedBodyStatusAndHeaders() async throws {
        let directory = try TemporaryDirectory()
        let session = try player(in: directory).makeSession()
        let (data, response) = try await session.data(for: urlRequest("https://api.deepseek.com/models"))
        #expect(text(data) == Cassettes.deepseek)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "content-type") == "application/json")
    }

    @Test func asyncDataFromAURLIsMatchedWithoutCredentials() async throws {
        let directory = try TemporaryDirectory()
        let cassette = Cassette(name: "open", interactions: [Cassettes.get("https://api.deepseek.com/models", [], body: "public list")])
        let (data, _) = try await player(cassette, in: directory).makeSession().data(from: URL(string: "https://api.deepseek.com/models")!)
        #expect(text(data) == "public list")
    }

    @Test func completionHandlerTasksGetTheRecordedAnswer() async throws {
        let directory = try TemporaryDirectory()
        let session = try player(in: directory).makeSession()
        let body: String = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: urlRequest("https://api.deepseek.com/models")) { data, _, error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: text(data ?? Data())) }
            }.resume()
        }
        #expect(body == Cassettes.deepseek)
    }

    @Test func aConfigurationFromConfigureReplaysInTheCallersOwnSession() async throws {
        let directory = try TemporaryDirectory()
        let player = try player(in: directory)
        let session = URLSession(configuration: player.configure(.ephemeral))
        let (data, _) = try await session.data(for: urlRequest("https://api.deepseek.com/models"))
        #expect(text(data) == Cassettes.deepseek)
    }

    @Test func aURLCacheInTheCallersConfigurationNeverAnswersInsteadOfTheCassette() async throws {
        // Two identical requests recorded with different, cacheable answers, and a cache that
        // already holds a third answer for the same URL: replay gives the recorded two, in order.
        let directory = try TemporaryDirectory()
        let url = "https://api.deepseek.com/models"
        let cacheable: HTTPHeaders = ["Content-Type": "text/plain", "Cache-Control": "public, max-age=3600"]
        let cassette = Cassette(name: "cached", interactions: [
            Interaction(request: RecordedRequest(method: "GET", url: url), response: RecordedResponse(status: 200, headers: cacheable, body: Data("first".utf8))),
            Interaction(request: RecordedRequest(method: "GET", url: url), response: RecordedResponse(status: 200, headers: cacheable, body: Data("second".utf8))),
        ])
        let cache = URLCache(memoryCapacity: 1 << 20, diskCapacity: 0, diskPath: nil)
        let stale = HTTPURLResponse(url: URL(string: url)!, statusCode: 200, httpVersion: "HTTP/1.1",
                                    headerFields: ["Content-Type": "text/plain", "Cache-Control": "public, max-age=3600"])!
        cache.storeCachedResponse(CachedURLResponse(response: stale, data: Data("from the cache".utf8)), for: URLRequest(url: URL(string: url)!))
        let configuration = URLSessionConfiguration.default
        configuration.urlCache = cache
        configuration.requestCachePolicy = .returnCacheDataElseLoad
        let player = try player(cassette, in: directory)
        let session = player.makeSession(configuration: configuration)
        var bodies: [String] = []
        for _ in 0..<2 { bodies.append(text(try await session.data(from: URL(string: url)!).0)) }
        #expect(bodies == ["first", "second"])
        #expect(session.configuration.urlCache == nil)
        try player.assertAllPlayed()
    }

    @Test func postBodiesAreReadAndMatchedFromHTTPBodyFromAStreamAndFromAnUpload() async throws {
        let directory = try TemporaryDirectory()
        let player = try player(in: directory)
        let session = player.makeSession()
        let headers = ["Authorization": "Bearer k", "Content-Type": "application/json"]
        // Same JSON, other key order and spacing.
        let json = #"{ "stream": true, "model": "deepseek-chat" }"#

        let (fromBody, _) = try await session.data(for: urlRequest("https://api.deepseek.com/chat/completions", method: "POST", headers, body: json))
        var streamed = urlRequest("https://api.deepseek.com/chat/completions", method: "POST", headers)
        streamed.httpBodyStream = InputStream(data: Data(json.utf8))
        let (fromStream, _) = try await session.data(for: streamed)
        let (fromUpload, _) = try await session.upload(for: urlRequest("https://api.deepseek.com/chat/completions", method: "POST", headers), from: Data(json.utf8))
        for data in [fromBody, fromStream, fromUpload] { #expect(text(data) == Cassettes.events.joined()) }

        let other = await #expect(throws: ReplayError.self) {
            _ = try await session.data(for: urlRequest("https://api.deepseek.com/chat/completions", method: "POST", headers, body: #"{"model":"deepseek-reasoner","stream":true}"#))
        }
        #expect(other?.description.contains("differs in body: $.model is '\"deepseek-reasoner\"' in the request, '\"deepseek-chat\"' recorded") == true)
    }

    @Test func theGatewaysThreeFormatsAreAnsweredByTheCredentialKind() async throws {
        let directory = try TemporaryDirectory()
        let session = try player(Cassettes.gateway, in: directory).makeSession()
        let url = "https://gateway.example/v1/models"
        let (gemini, _) = try await session.data(for: urlRequest(url, ["x-goog-api-key": "AIza-live"]))
        let (anthropic, _) = try await session.data(for: urlRequest(url, ["x-api-key": "sk-ant-live", "anthropic-version": "2023-06-01"]))
        let (openAI, _) = try await session.data(for: urlRequest(url, ["Authorization": "Bearer sk-live"]))
        #expect(text(openAI) == Cassettes.openAI)
        #expect(text(gemini) == Cassettes.gemini)
        #expect(text(anthropic) == Cassettes.anthropic)
    }

    @Test func aRecordedRedirectIsFollowedAndAnsweredWithTheFinalURL() async throws {
        let directory = try TemporaryDirectory()
        let (data, response) = try await player(in: directory).makeSession().data(for: urlRequest("https://api.deepseek.com/old-models"))
        #expect(text(data) == Cassettes.deepseek)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(response.url?.absoluteString == "https://api.deepseek.com/models?via=redirect")
    }

    // MARK: Streaming

    @Test func aDelegateReceivesAStreamedResponseChunkByChunk() async throws {
        let directory = try TemporaryDirectory()
        let collector = ChunkCollector()
        let session = try player(in: directory).makeSession(delegate: collector)
        session.dataTask(with: urlRequest("https://api.deepseek.com/chat/completions", method: "POST",
                                          ["Authorization": "Bearer k"], body: #"{"model":"deepseek-chat","stream":true}"#)).resume()
        let chunks = try await collector.finished().chunks
        #expect(chunks.map { text($0.data) } == Cassettes.events)
    }

    @Test func recordedGapsCanBeReplayedScaled() async throws {
        let directory = try TemporaryDirectory()
        let collector = ChunkCollector()
        let session = try player(in: directory, timing: .recorded(scale: 0.5)).makeSession(delegate: collector)
        let start = ContinuousClock.now
        session.dataTask(with: urlRequest("https://api.deepseek.com/chat/completions", method: "POST",
                                          ["Authorization": "Bearer k"], body: #"{"model":"deepseek-chat","stream":true}"#)).resume()
        let chunks = try await collector.finished().chunks
        // Recorded at 0, 100 and 200 ms: at half speed the answer cannot finish before 100 ms.
        // (When each piece reaches the delegate depends on the delegate queue's thread, so
        // only the total is checked, and only as a lower bound.)
        #expect(chunks.map { text($0.data) } == Cassettes.events)
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    // MARK: Misses and bookkeeping

    @Test func aMissFailsTheTaskWithTheCoresReportAndIsKept() async throws {
        let directory = try TemporaryDirectory()
        let player = try player(in: directory)
        let error = await #expect(throws: ReplayError.self) {
            _ = try await player.makeSession().data(for: urlRequest("https://api.deepseek.com/v2/models"))
        }
        let message = try #require(error?.description)
        #expect(message.contains("no recorded interaction matches the request"))
        #expect(message.contains("GET https://api.deepseek.com/v2/models [credentials: header:authorization]"))
        #expect(message.contains("differs in path: '/v2/models' in the request, '/models' recorded"))
        #expect(!message.contains("sk-live-test-key"))
        #expect(player.failures.map(\.kind) == [.noMatch])
    }

    @Test func assertAllPlayedListsTheInteractionsNeverRequested() async throws {
        let directory = try TemporaryDirectory()
        let player = try player(in: directory)
        _ = try await player.makeSession().data(for: urlRequest("https://api.deepseek.com/models"))
        let error = #expect(throws: ReplayError.self) { try player.assertAllPlayed() }
        #expect(error?.kind == .unplayedInteractions)
        #expect(error?.description.contains("3 recorded interactions were never requested") == true)
        #expect(error?.description.contains("#2 POST https://api.deepseek.com/chat/completions") == true)
        // The redirect pair counts as played once the old URL is requested.
        _ = try await player.makeSession().data(for: urlRequest("https://api.deepseek.com/old-models"))
        _ = try await player.makeSession().data(for: urlRequest("https://api.deepseek.com/chat/completions", method: "POST", body: #"{"model":"deepseek-chat","stream":true}"#))
        try player.assertAllPlayed()
    }

    @Test func aMissingCassetteNamesTheFile() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: ReplayError.self) {
            try CassettePlayer(contentsOf: directory.file("nowhere.tape"), mode: .replay, timing: .instant, matching: .standard, environment: [:])
        }
        #expect(error?.kind == .cassetteNotFound)
        #expect(error?.description.contains("nowhere.tape") == true)
    }

    @Test func aCorruptCassetteNamesTheFileAndTheReason() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("corrupt.tape")
        try Data("not a cassette".utf8).write(to: file)
        let error = #expect(throws: ReplayError.self) { try CassettePlayer(contentsOf: file) }
        #expect(error?.kind == .cassette)
        #expect(error?.description.contains("corrupt.tape") == true)
        #expect(error?.description.contains("not a gzip file") == true)
    }

    @Test func aSessionWhosePlayerWasReleasedSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let url = try Cassettes.write(Cassettes.deepseek_, to: directory)
        let configuration = try CassettePlayer(contentsOf: url).configure(.ephemeral)
        let error = await #expect(throws: ReplayError.self) {
            _ = try await URLSession(configuration: configuration).data(for: urlRequest("https://api.deepseek.com/models"))
        }
        #expect(error?.description.contains("was released") == true)
    }
}

extension CassettePlayerTests {
    /// On Linux `URLSession.shared` ignores registered classes for http(s), but not for other
    /// schemes: the process-wide mode answers those.
    @Test func theProcessWideModeAnswersURLSessionSharedForACustomScheme() async throws {
        let cassette = Cassette(name: "custom", interactions: [Cassettes.get("tapedeck-test://models/list", [], body: "from the process-wide player")])
        let player = CassettePlayer(cassette: cassette)
        player.registerProcessWide()
        defer { player.unregisterProcessWide() }
        let (data, _) = try await URLSession.shared.data(from: URL(string: "tapedeck-test://models/list")!)
        #expect(text(data) == "from the process-wide player")
    }
}

/// How a session keeps its player: through its delegate queue, not a URLSession subclass.
@Suite struct PlayerLifetimeTests {
    @Test func aSessionIsAPlainURLSessionThatKeepsItsPlayerAliveAndReleasesItAfter() async throws {
        weak var released: CassettePlayer?
        var session: URLSession? = {
            let player = CassettePlayer(cassette: Cassettes.deepseek_)
            released = player
            return player.makeSession(delegate: ChunkCollector())
        }()
        #expect(session?.delegate is ChunkCollector, "the caller's delegate is the session's, untouched")
        #expect(released != nil, "the session holds the player")
        let (data, _) = try await session!.data(for: urlRequest("https://api.deepseek.com/models"))
        #expect(text(data).contains("deepseek-chat"))
        session?.finishTasksAndInvalidate()
        session = nil
        // The session lets go of its queue once invalidated and released.
        for _ in 0..<100 where released != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(released == nil, "the player is released with its session")
    }

    @Test func withCassetteInvalidatesTheSessionsItsPlayerMadeSoTheyLetGoOfTheirDelegate() async throws {
        let directory = try TemporaryDirectory()
        _ = try Cassettes.write(Cassettes.gateway, to: directory)
        let delegate = InvalidationWatcher()
        weak var released: CassettePlayer?
        // Kept past the test, as Apple's URLSession keeps every session until it is invalidated.
        var kept: URLSession?
        try await withCassette("gateway-models", from: .folder(directory.url), configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
            released = player
            let session = player.makeSession(delegate: delegate)
            kept = session
            let (data, _) = try await session.data(for: urlRequest("https://gateway.example/v1/models"))
            #expect(text(data).contains("gpt-4"))
        }
        #expect(try await delegate.invalidated(within: .seconds(30)), "the session was told it is invalid when the test ended")
        withExtendedLifetime(kept) {}
        kept = nil
        for _ in 0..<500 where released != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(released == nil, "nothing holds the player once its sessions are invalidated")
    }

    @Test func finishInvalidatesEverySessionThePlayerMade() async throws {
        let player = CassettePlayer(cassette: Cassettes.gateway)
        let watchers = [InvalidationWatcher(), InvalidationWatcher()]
        let sessions = watchers.map { player.makeSession(delegate: $0) }
        _ = try await sessions[0].data(for: urlRequest("https://gateway.example/v1/models"))
        try player.finish()
        for watcher in watchers { #expect(try await watcher.invalidated(within: .seconds(30))) }
    }
}

/// A session delegate that is told when its session becomes invalid.
final class InvalidationWatcher: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let signal = DispatchSemaphore(value: 0)

    func urlSession(_ session: URLSession, didBecomeInvalidWithError error: (any Error)?) { signal.signal() }

    /// Whether the session became invalid before `limit` passed (waited for off the pool).
    func invalidated(within limit: Duration) async throws -> Bool {
        let signal = self.signal
        let seconds = Double(limit.components.seconds)
        return try await offPool { signal.wait(timeout: .now() + seconds) == .success }
    }
}
