import AsyncHTTPClient
import Foundation
import NIOCore
import TapeDeck
import TapeDeckReplay
import TapeDeckTestSupport
import Testing
@testable import TapeDeckServer

/// Faults injected by `CassetteServer`, seen by AsyncHTTPClient.
@Suite struct FaultTests {
    /// A client's retry: on 429 it waits `Retry-After` seconds (scaled down) and tries again.
    private func modelsWithRetry(_ server: CassetteServer, attempts: Int = 3) async throws -> (statuses: [Int], waited: [String], body: String) {
        var statuses: [Int] = [], waited: [String] = []
        for _ in 0..<attempts {
            let answer = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer \(Cassettes.key)")])
            statuses.append(answer.status)
            guard answer.status == 429 else { return (statuses, waited, answer.body) }
            let retryAfter = answer.headers.first(name: "retry-after") ?? "?"
            waited.append(retryAfter)
            try await Task.sleep(for: .milliseconds(10 * (Int(retryAfter) ?? 1)))
        }
        return (statuses, waited, "")
    }

    @Test func a429WithRetryAfterThenTheRecordedAnswer() async throws {
        let fault = try Fault.status(429, headers: ["Retry-After": "1"], method: "GET", path: "/models", times: 1)
        let server = try await CassetteServer.start(cassette: Cassette(name: "m", interactions: [Cassettes.get("https://api.deepseek.com/models", body: Cassettes.models)]),
                                                    faults: [fault])
        let outcome = try await modelsWithRetry(server)
        #expect(outcome.statuses == [429, 200])
        #expect(outcome.waited == ["1"])
        #expect(outcome.body == Cassettes.models)
        try server.assertAllPlayed()
        #expect(server.failures.isEmpty, "an injected fault is not a miss")
        await server.stop()
    }

    @Test func anInjectedAnswerCarriesEveryHeaderGivenInOrderARepeatedNameIncluded() async throws {
        let headers = TapeDeck.HTTPHeaders([("Retry-After", "1"), ("X-Reason", "first"), ("X-Reason", "second")])
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek, faults: [try Fault.status(429, headers: headers, path: "/models")])
        let answer = try await fetch("\(server.baseURL)/models")
        #expect(answer.status == 429)
        #expect(answer.headers[canonicalForm: "x-reason"].map(String.init) == ["first", "second"])
        #expect(answer.headers.first(name: "retry-after") == "1")
        await server.stop()
    }

    @Test func theInjectedAnswerIsJSONNamingTheFault() async throws {
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek, faults: [try Fault("POST /chat/* status=503")])
        let answer = try await fetch("\(server.baseURL)/chat/completions", method: .POST, body: "{}")
        #expect(answer.status == 503)
        #expect(answer.headers.first(name: "content-type") == "application/json")
        #expect(answer.body.contains(#""type":"tapedeck_injected_fault""#))
        #expect(answer.body.contains("POST /chat/* status=503"))
        await server.stop()
    }

    @Test func everyNthMatchingRequestIsHitAndOnlyThose() async throws {
        let interactions = (0..<4).map { _ in Cassettes.get("https://api.deepseek.com/models", body: Cassettes.models) }
        let server = try await CassetteServer.start(cassette: Cassette(name: "m", interactions: interactions),
                                                    faults: [try Fault.status(500, path: "/models", every: 3)])
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer x")]).status) }
        #expect(statuses == [200, 200, 500, 200, 200, 500])
        try server.assertAllPlayed()
        // Another path is not counted.
        #expect(try await fetch("\(server.baseURL)/models/x").status == 404)
        await server.stop()
    }

    @Test func aConnectionDroppedMidStreamIsSeenAsSuchAndTheRetryGetsTheWholeStream() async throws {
        let cut = Cassettes.events[0].utf8.count + 5
        let server = try await CassetteServer.start(cassette: Cassette(name: "chat", interactions: [Cassettes.chat(gap: 20)]),
                                                    timing: .recorded(scale: 1),
                                                    faults: [try Fault.drop(afterBodyBytes: cut, method: "POST", path: "/chat/completions", times: 1)])
        func stream() async throws -> (received: String, error: (any Error)?) {
            var request = HTTPClientRequest(url: "\(server.baseURL)/chat/completions")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(Cassettes.key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"model":"deepseek-chat","stream":true}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)
            var received = ""
            do {
                for try await buffer in response.body { received += String(buffer: buffer) }
            } catch {
                return (received, error)
            }
            return (received, nil)
        }
        let first = try await stream()
        #expect(first.error != nil, "the client sees the connection end mid-stream")
        // The server sends exactly `cut` bytes (tapedeck replay's test counts them with curl); a
        // client may drop the last ones it had buffered when the connection ends, so AsyncHTTPClient
        // delivers a prefix of them.
        #expect(Cassettes.events.joined().hasPrefix(first.received), "only bytes of the stream, in order")
        #expect(first.received.utf8.count <= cut, "nothing after the cut: \(first.received.utf8.count) bytes")
        let retry = try await stream()
        #expect(retry.error == nil)
        #expect(retry.received == Cassettes.events.joined())
        try server.assertAllPlayed()
        await server.stop()
    }

    @Test func aDelayHoldsTheHeadThenTheRecordedAnswerFollows() async throws {
        let server = try await CassetteServer.start(cassette: Cassettes.deepseek, faults: [try Fault.delay(.milliseconds(300), path: "/models")])
        let started = ContinuousClock.now
        let answer = try await fetch("\(server.baseURL)/models", headers: [("Authorization", "Bearer x")])
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(answer.body == Cassettes.models)
        await server.stop()
    }

    @Test(arguments: [
        ("GET models status=429", "a path starting with /"),
        ("GET /models status=abc", "status 'abc' is not a number"),
        ("GET /models status=99", "status 99"),
        ("GET /models", "it does nothing"),
        ("GET /models status=429 times=0", "times must be 1 or more"),
        ("GET /models status=429 times=1 every=2", "not both"),
        ("GET /models status=429 colour=red", "unknown key 'colour'"),
        ("GET /models delay=soon", "delay 'soon'"),
        ("GET /models delay=11m", "delay '11m'"),
        ("GET /models delay=700s", "600 seconds"),
        ("GET /models header=Retry-After:1", "header= needs status="),
        ("GET /mo*dels status=500", "'*' may only end the path"),
        ("", "it is empty"),
    ])
    func aSpecificationThatDoesNotParseNamesThePartThatIsWrong(specification: String, part: String) {
        let error = #expect(throws: ReplayError.self) { _ = try Fault(specification) }
        #expect(error?.kind == .invalidFault)
        #expect(error?.description.contains(part) == true, "\(error?.description ?? "")")
    }

    @Test func builtFaultsAreCheckedLikeParsedOnes() {
        #expect(throws: ReplayError.self) { _ = try Fault.status(600, path: "/x") }
        #expect(throws: ReplayError.self) { _ = try Fault.drop(afterBodyBytes: -1, path: "/x") }
        #expect(throws: ReplayError.self) { _ = try Fault.delay(.seconds(-1), path: "/x") }
        #expect(throws: ReplayError.self) { _ = try Fault.status(429, path: "models") }
        #expect(throws: ReplayError.self) { _ = try Fault.status(429, headers: ["Bad Name": "1"], path: "/x") }
        #expect((try? Fault.status(429, headers: ["Retry-After": "2"], method: "get", path: "/v1/*", times: 2))?.description
                == "GET /v1/* status=429 header=Retry-After:2 times=2")
    }
}
