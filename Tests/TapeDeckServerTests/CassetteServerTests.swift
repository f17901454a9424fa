import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TapeDeck
import TapeDeckReplay
import TapeDeckTestSupport
import Testing
@testable import TapeDeckServer

/// `CassetteServer` served to AsyncHTTPClient on 127.0.0.1.
@Suite struct CassetteServerTests {
    @Test func servesTheRecordedAnswersByteForByteOnAFreePortOfLoopback() async throws {
        let directory = try TemporaryDirectory()
        let url = try Cassettes.write(Cassettes.deepseek, to: directory)
        let server = try await CassetteServer.start(contentsOf: url)
        #expect(server.baseURL.absoluteString == "http://127.0.0.1:\(server.port)")
        #expect(server.port > 0)
        #expect(server.mode == .replay)

        let models = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        #expect(models.status == 200)
        #expect(models.body == Cassettes.models)
        #expect(models.headers.first(name: "content-type") == "application/json")
        let chat = try await fetch("\(server.baseURL)/chat/completions", method: .POST,
                                   headers: [("Authorization", "Bearer \(Cassettes.key)"), ("Content-Type", "application/json")],
                                   body: #"{"model":"deepseek-chat","stream":true}"#)
        #expect(chat.body == Cassettes.events.joined())
        #expect(chat.headers.first(name: "content-type") == "text/event-stream")
        try server.assertAllPlayed()
        #expect(server.failures.isEmpty)
        await server.stop()
        await server.stop()  // a second stop does nothing
        #expect(try await refusesConnections(server.baseURL), "stopped means nothing listens")
    }

    @Test func aRequestTheCassetteDoesNotKnowIsA404WithTheMissReportAndAFailure() async throws {
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek)
        let miss = try await fetch("\(server.baseURL)/embeddings", method: .POST, body: "{}")
        #expect(miss.status == 404)
        #expect(miss.body.contains(#""type":"tapedeck_no_match""#))
        #expect(miss.body.contains("no recorded interaction matches"))
        let failures = server.failures
        #expect(failures.count == 1)
        #expect(failures.first?.kind == .noMatch)
        #expect(failures.first?.description.contains("POST") == true)
        #expect(failures.first?.description.contains("/embeddings") == true)
        await server.stop()
    }

    @Test func interactionsNeverRequestedAreListedByAssertAllPlayed() async throws {
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek)
        _ = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        let error = #expect(throws: ReplayError.self) { try server.assertAllPlayed() }
        #expect(error?.kind == .unplayedInteractions)
        #expect(error?.description.contains("1 recorded interaction was never requested") == true)
        #expect(error?.description.contains("#2 POST https://api.deepseek.com/chat/completions") == true)
        await server.stop()
    }

    @Test func eightServersInParallelServeTheirOwnCassettesWithoutCrosstalk() async throws {
        let directory = try TemporaryDirectory()
        let requestsPerServer = 200
        let urls = try (0..<8).map { server in
            let interactions = (0..<requestsPerServer).map { Cassettes.get("https://api.example.com/items?n=\($0)", body: #"{"server":\#(server),"n":\#($0)}"#) }
            return try Cassettes.write(Cassette(name: "server-\(server)", interactions: interactions), to: directory)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask {
                    let server = try await CassetteServer.start(contentsOf: url)
                    // Four clients at once per server, in shuffled order.
                    let order = (0..<requestsPerServer).shuffled()
                    try await withThrowingTaskGroup(of: Void.self) { clients in
                        for lane in 0..<4 {
                            clients.addTask {
                                for n in order.enumerated().filter({ $0.offset % 4 == lane }).map(\.element) {
                                    let answer = try await fetch("\(server.baseURL)/items?n=\(n)", headers: [("Authorization", "Bearer k-\(index)")])
                                    #expect(answer.status == 200)
                                    #expect(answer.body == #"{"server":\#(index),"n":\#(n)}"#)
                                }
                            }
                        }
                        try await clients.waitForAll()
                    }
                    #expect(server.failures.isEmpty)
                    try server.assertAllPlayed()
                    await server.stop()
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func aCassetteThatDoesNotLoadFailsStartWithTheCoresError() async throws {
        let directory = try TemporaryDirectory()
        let broken = directory.file("broken.tape")
        try Data("this is not gzip".utf8).write(to: broken)
        let error = await #expect(throws: ReplayError.self) { _ = try await CassetteServer.start(contentsOf: broken) }
        #expect(error?.kind == .cassette)
        #expect(error?.underlying != nil)
        #expect(error?.description.contains(broken.path) == true)

        let missing = await #expect(throws: ReplayError.self) { _ = try await CassetteServer.start(contentsOf: directory.file("absent.tape")) }
        #expect(missing?.kind == .cassetteNotFound)
    }

    @Test func aPortInUseIsAClearError() async throws {
        let first = try await CassetteServer.start(cassette: Cassettes.deepseek)
        let error = await #expect(throws: ReplayError.self) { _ = try await CassetteServer.start(cassette: Cassettes.deepseek, port: first.port) }
        #expect(error?.kind == .server)
        #expect(error?.description.contains("127.0.0.1:\(first.port)") == true)
        #expect(error?.description.contains("already in use") == true)
        await first.stop()
        let outOfRange = await #expect(throws: ReplayError.self) { _ = try await CassetteServer.start(cassette: Cassettes.deepseek, port: 70000) }
        #expect(outOfRange?.kind == .server)
    }

    @Test func aServerErrorKeepsItsKindWhenItCrossesAsAnNSError() async throws {
        let first = try await CassetteServer.start(cassette: Cassettes.deepseek)
        let taken = await #expect(throws: ReplayError.self) { _ = try await CassetteServer.start(cassette: Cassettes.deepseek, port: first.port) }
        await first.stop()
        let error = try #require(taken)
        let invalid = try #require(#expect(throws: ReplayError.self) { _ = try Fault("GET /x status=abc") })
        var codes: Set<Int> = []
        for original in [error, invalid] {
            // What Apple's URLSession hands a caller: a new NSError with the domain, code and user info.
            let copied = NSError(domain: ReplayError.errorDomain, code: original.errorCode, userInfo: original.errorUserInfo)
            let back = try #require(ReplayError(bridging: copied))
            #expect(back.kind == original.kind)
            #expect(back.description == original.description)
            codes.insert(original.errorCode)
        }
        #expect(codes.count == 2)
        #expect(!codes.contains(ReplayError(.cassette, reason: "r").errorCode))
    }

    @Test func recordMissingGoesToTheRealUpstreamThroughTheCoreRecorderThenReplaysOffline() async throws {
        let upstream = EchoUpstream()
        let running = try await RunningUpstream(upstream)
        let directory = try TemporaryDirectory()
        let file = directory.file("recorded.tape")

        let recorder = try await CassetteServer.start(contentsOf: file, mode: .recordMissing, upstream: running.baseURL, timing: .instant,
                                                      matching: .standard, faults: [], port: 0, environment: [:])
        #expect(recorder.mode == .recordMissing)
        let live = try await fetch("\(recorder.baseURL)/models?page=1", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        #expect(live.body.contains(Cassettes.key), "the client gets the live answer")
        await recorder.stop()
        #expect(recorder.failures.isEmpty)
        #expect(recorder.recordedCount == 1)
        #expect(upstream.requests.withLock { $0 } == 1)
        let plain = try await sh("gzip -dc '\(file.path)'")
        #expect(!plain.contains(Cassettes.key), "the key and its echo never reach the file")
        #expect(plain.contains(#""redacted":["header:authorization"]"#))
        #expect(plain.contains("\(running.baseURL)/models?page=1"))
        await running.stop()

        // The upstream is gone: the recording answers.
        let replay = try await CassetteServer.start(contentsOf: file)
        let again = try await fetch("\(replay.baseURL)/models?page=1", headers: [("Authorization", "Bearer another-key-999999")])
        #expect(again.body == #"{"object":"list","data":[],"seen":"REDACTED","n":1}"#)
        try replay.assertAllPlayed()
        await replay.stop()
    }

    @Test func recordAllStartsTheCassetteAnewAndAnUnreachableUpstreamIsAFailure() async throws {
        let directory = try TemporaryDirectory()
        let file = try Cassettes.write(Cassettes.deepseek, to: directory)
        let upstream = EchoUpstream()
        let running = try await RunningUpstream(upstream)
        let server = try await CassetteServer.start(contentsOf: file, mode: .recordAll, upstream: running.baseURL, timing: .instant,
                                                    matching: .standard, faults: [], port: 0, environment: [:])
        _ = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        _ = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer \(Cassettes.key)")])
        #expect(upstream.requests.withLock { $0 } == 2, "record-all sends even what the cassette knew")
        await server.stop()
        #expect(server.failures.isEmpty)
        let recorded = try Cassette(contentsOf: file)
        #expect(recorded.interactions.count == 2)
        #expect(recorded.interactions.map { String(decoding: $0.response.body, as: UTF8.self).contains(#""n":2"#) } == [false, true])
        await running.stop()

        // Now nothing listens there: the client gets a 502 and the test a failure naming the upstream.
        let orphan = try await CassetteServer.start(contentsOf: directory.file("orphan.tape"), mode: .recordMissing, upstream: running.baseURL,
                                                    timing: .instant, matching: .standard, faults: [], port: 0, environment: [:])
        let failed = try await fetch("\(orphan.baseURL)/models")
        #expect(failed.status == 502)
        await orphan.stop()
        #expect(orphan.failures.map(\.kind) == [.upstream])
        #expect(orphan.failures.first?.description.contains("cannot reach upstream") == true)
    }

    @Test func recordingIsRefusedOnCIAndWithoutAnUpstream() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("new.tape")
        let onCI = await #expect(throws: ReplayError.self) {
            _ = try await CassetteServer.start(contentsOf: file, mode: .recordMissing, upstream: URL(string: "http://127.0.0.1:9")!, timing: .instant,
                                               matching: .standard, faults: [], port: 0, environment: ["CI": "true"])
        }
        #expect(onCI?.kind == .recordingRefused)
        let noUpstream = await #expect(throws: ReplayError.self) {
            _ = try await CassetteServer.start(contentsOf: file, mode: .replay, upstream: nil, timing: .instant, matching: .standard, faults: [],
                                               port: 0, environment: ["TAPEDECK_MODE": "record-missing"])
        }
        #expect(noUpstream?.kind == .recordingRefused)
        #expect(noUpstream?.description.contains("upstream:") == true)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func aStreamGoesOutChunkByChunkWithTheRecordedGapsWithoutHoldingOtherRequests() async throws {
        let server = try await CassetteServer.start(cassette: Cassette(name: "slow", interactions: [
            Cassettes.chat(gap: 300), Cassettes.get("https://api.deepseek.com/models", body: Cassettes.models),
        ]), timing: .recorded(scale: 1))
        var request = HTTPClientRequest(url: "\(server.baseURL)/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Cassettes.key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"model":"deepseek-chat","stream":true}"#))
        let started = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var pieces: [(text: String, at: Duration)] = []
        var other: Duration?
        for try await buffer in response.body {
            pieces.append((String(buffer: buffer), ContinuousClock.now - started))
            if other == nil {
                // While the stream is between events, another request is answered at once.
                let answer = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer x")])
                #expect(answer.body == Cassettes.models)
                other = ContinuousClock.now - started
            }
        }
        #expect(pieces.map(\.text).joined() == Cassettes.events.joined())
        #expect(pieces.count >= 3, "the events arrive as separate pieces, not one body")
        let last = try #require(pieces.last?.at)
        #expect(last >= .milliseconds(800), "four events 300 ms apart take at least 900 ms (allowing timer slack)")
        #expect(try #require(other) < last, "the other request did not wait for the stream to end")
        try server.assertAllPlayed()
        await server.stop()
    }
}
