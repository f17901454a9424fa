// The replay benchmark: async `data(for:)` through `CassettePlayer.makeSession()` next to the
// floor, a minimal URLProtocol that returns one fixed answer of the same size, in the same
// process and the same run.
//
//   swift run -c release tapedeck-replay-benchmark
//
// Rounds interleave the floors and replay so all see the same machine; each figure is the best
// round. Printed: requests per second of each, and replay / floor (target >= 0.9) with a
// 10-interaction cassette, a 10,000-interaction one, and 8 concurrent tasks; then ~1 KB chat
// bodies matched exactly next to matching that ignores five fields. The floor runs in an
// `.ephemeral` configuration, as first measured; a player's session has no URL cache (it must
// never answer for the cassette), so replay is also compared with the floor without one.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeck
import TapeDeckReplay

#if DEBUG
print("warning: this is a debug build; run with `swift run -c release tapedeck-replay-benchmark`")
#endif

/// A realistic list-models answer of about 5 KB: an OpenAI-format listing of 30 models.
func listModelsBody(_ page: Int) -> Data {
    let models = (0..<30).map { model in
        #"{"id":"model-\#(page)-\#(model)","object":"model","created":\#(1_700_000_000 + page * 37 + model),"owned_by":"benchmark","permission":[],"root":"model-\#(model)","parent":null}"#
    }
    return Data(#"{"object":"list","data":[\#(models.joined(separator: ","))]}"#.utf8)
}

func cassette(pages: Int) -> Cassette {
    var cassette = Cassette(name: "benchmark-\(pages)")
    cassette.interactions = (0..<pages).map { page in
        Interaction(
            request: RecordedRequest(method: "GET", url: "https://gateway.example/v1/models?page=\(page)",
                                     headers: ["Accept": "application/json"], redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json", "x-request-id": "req-\(page)"],
                                       body: listModelsBody(page)))
    }
    return cassette
}

/// The floor: one canned answer, nothing looked up.
final class FixedAnswerProtocol: URLProtocol {
    static let body = listModelsBody(0)

    override class func canInit(with request: URLRequest) -> Bool { true }
    override class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    override func startLoading() {
        let response = HTTPURLResponse(url: request.url!, statusCode: 200, httpVersion: "HTTP/1.1",
                                       headerFields: ["Content-Type": "application/json", "x-request-id": "req-0"])!
        client?.urlProtocol(self, didReceive: response, cacheStoragePolicy: .notAllowed)
        client?.urlProtocol(self, didLoad: Self.body)
        client?.urlProtocolDidFinishLoading(self)
    }

    override func stopLoading() {}
}

func request(_ index: Int, pages: Int) -> URLRequest {
    var request = URLRequest(url: URL(string: "https://gateway.example/v1/models?page=\((index &* 7_919) % pages)")!)
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    request.setValue("Bearer sk-benchmark-key-0123456789", forHTTPHeaderField: "Authorization")
    return request
}

/// Seconds for `count` requests through `session`, from `tasks` concurrent tasks.
func timed(_ session: URLSession, count: Int, tasks: Int, pages: Int) async throws -> Double {
    let clock = ContinuousClock()
    let elapsed = try await clock.measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in stride(from: task, to: count, by: tasks) {
                        let (data, response) = try await session.data(for: request(index, pages: pages))
                        guard (response as? HTTPURLResponse)?.statusCode == 200, data.count > 1_000 else {
                            throw CocoaError(.fileReadCorruptFile)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    let parts = elapsed.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}

func compare(_ label: String, pages: Int, tasks: Int, count: Int, rounds: Int) async throws {
    let player = CassettePlayer(cassette: cassette(pages: pages))
    let replay = player.makeSession()
    // The floor as the issue measured it: the fixed answer in an `.ephemeral` configuration,
    // which keeps a URL cache that every request looks up. A player's session has none, so the
    // floor is also measured without one: the same URLSession machinery, nothing else.
    let floor = URLSession(configuration: floorConfiguration(cache: true))
    let bareFloor = URLSession(configuration: floorConfiguration(cache: false))
    // Warm them up.
    for session in [floor, bareFloor, replay] { _ = try await timed(session, count: 200, tasks: tasks, pages: pages) }
    var best = (floor: Double.infinity, bare: Double.infinity, replay: Double.infinity)
    for _ in 0..<rounds {
        best.floor = min(best.floor, try await timed(floor, count: count, tasks: tasks, pages: pages))
        best.replay = min(best.replay, try await timed(replay, count: count, tasks: tasks, pages: pages))
        best.bare = min(best.bare, try await timed(bareFloor, count: count, tasks: tasks, pages: pages))
    }
    let rate = { (seconds: Double) in Double(count) / seconds }
    let padded = label + String(repeating: " ", count: max(0, 26 - label.count))
    print(padded + String(format: "floor %6.0f req/s, without its cache %6.0f req/s   replay %6.0f req/s   replay/floor %.2f (target >= 0.9), replay/floor-without-cache %.2f",
                          rate(best.floor), rate(best.bare), rate(best.replay), rate(best.replay) / rate(best.floor), rate(best.replay) / rate(best.bare)))
    for session in [floor, bareFloor, replay] { session.invalidateAndCancel() }
}

func floorConfiguration(cache: Bool) -> URLSessionConfiguration {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.protocolClasses = [FixedAnswerProtocol.self]
    if !cache { configuration.urlCache = nil }
    return configuration
}

// MARK: - Bodies matched with fields ignored

/// A chat request body of about 1 KB; `varied` changes the five fields the ignoring player leaves out.
func chatBody(_ page: Int, varied: Int) -> Data {
    let prompt = String(repeating: "Summarise the quarterly figures for the board. ", count: 16)
    return Data(#"{"model":"deepseek-chat","user":"u-\#(varied)","request_id":"r-\#(varied)","metadata":{"trace_id":"t-\#(varied)","ts":\#(1_700_000_000 + varied)},"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"\#(prompt) page \#(page)","id":"m-\#(varied)"}],"temperature":0.2,"stream":false}"#.utf8)
}

let ignoredFields = ["user", "request_id", "metadata.trace_id", "metadata.ts", "messages[*].id"]

func chatCassette(pages: Int) -> Cassette {
    Cassette(name: "chat-\(pages)", interactions: (0..<pages).map { page in
        Interaction(request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions",
                                             headers: ["Content-Type": "application/json"], body: chatBody(page, varied: 0),
                                             redacted: [.header("authorization")]),
                    response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: listModelsBody(page)))
    })
}

func chatRequest(_ index: Int, pages: Int, varied: Bool) -> URLRequest {
    var request = URLRequest(url: URL(string: "https://api.deepseek.com/chat/completions")!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue("Bearer sk-benchmark-key-0123456789", forHTTPHeaderField: "Authorization")
    request.httpBody = chatBody((index &* 7_919) % pages, varied: varied ? index + 1 : 0)
    return request
}

/// Seconds for `count` chat requests through `session` (one task).
func timedChats(_ session: URLSession, count: Int, pages: Int, varied: Bool) async throws -> Double {
    let clock = ContinuousClock()
    let elapsed = try await clock.measure {
        for index in 0..<count {
            let (_, response) = try await session.data(for: chatRequest(index, pages: pages, varied: varied))
            guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw CocoaError(.fileReadCorruptFile) }
        }
    }
    let parts = elapsed.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}

/// Replay of ~1 KB chat bodies with the standard matching (the bodies sent as recorded) next to
/// matching that ignores five fields (the bodies sent with those five changed), interleaved.
func compareIgnoring(pages: Int, count: Int, rounds: Int) async throws {
    let exact = CassettePlayer(cassette: chatCassette(pages: pages))
    let ignoring = CassettePlayer(cassette: chatCassette(pages: pages), matching: .standard.ignoringBodyFields(ignoredFields))
    let (exactSession, ignoringSession) = (exact.makeSession(), ignoring.makeSession())
    _ = try await timedChats(exactSession, count: 200, pages: pages, varied: false)
    _ = try await timedChats(ignoringSession, count: 200, pages: pages, varied: true)
    var best = (exact: Double.infinity, ignoring: Double.infinity)
    for _ in 0..<rounds {
        best.exact = min(best.exact, try await timedChats(exactSession, count: count, pages: pages, varied: false))
        best.ignoring = min(best.ignoring, try await timedChats(ignoringSession, count: count, pages: pages, varied: true))
    }
    let rate = { (seconds: Double) in Double(count) / seconds }
    print(String(format: "1 KB chat bodies, %d recorded: standard matching %6.0f req/s   5 ignored fields %6.0f req/s   ignoring/standard %.3f (target >= 0.95)",
                 pages, rate(best.exact), rate(best.ignoring), rate(best.ignoring) / rate(best.exact)))
    for session in [exactSession, ignoringSession] { session.invalidateAndCancel() }
}

let count = Int(ProcessInfo.processInfo.environment["REQUESTS"] ?? "") ?? 4_000
let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 5
print("TapeDeck replay benchmark: \(count) requests per round, best of \(rounds) interleaved rounds")
try await compare("10 interactions", pages: 10, tasks: 1, count: count, rounds: rounds)
try await compare("10,000 interactions", pages: 10_000, tasks: 1, count: count, rounds: rounds)
try await compare("10 interactions, 8 tasks", pages: 10, tasks: 8, count: count, rounds: rounds)
try await compareIgnoring(pages: 10, count: count, rounds: rounds)
