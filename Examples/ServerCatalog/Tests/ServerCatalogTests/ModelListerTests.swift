import Foundation
import ServerCatalog
import TapeDeckCassettes
import TapeDeckServer
import XCTest

/// ModelLister against TapeDeck's shipped cassettes, served by a CassetteServer started in the
/// test: offline, no key, and with the faults a real API sends.
final class ModelListerTests: XCTestCase {
    private let key = "sk-not-a-real-key"

    func testListsDeepSeekModels() async throws {
        try await withCassetteServer("deepseek-models", from: SharedCassettes.location, configuration: .init(requireAllPlayed: false)) { server in
            let listed = try await ModelLister(baseURL: server.baseURL, apiKey: key).models()
            XCTAssertEqual(listed.ids, ["deepseek-chat", "deepseek-reasoner"])
            XCTAssertEqual(listed.attempts, 1)
        }
    }

    func testListsTheGatewaysOpenAIFormatUnderV1() async throws {
        try await withCassetteServer("gateway-models", from: SharedCassettes.location, configuration: .init(requireAllPlayed: false)) { server in
            let listed = try await ModelLister(baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: key).models()
            XCTAssertEqual(listed.ids, ["gpt-4o", "gpt-4", "claude-sonnet-4-20250514", "gemini-2.0-flash"])
        }
    }

    func testRetriesAfterA429AndGetsTheRecordedList() async throws {
        let rateLimited = try Fault.status(429, headers: ["Retry-After": "1"], method: "GET", path: "/models", times: 1)
        try await withCassetteServer("deepseek-models", from: SharedCassettes.location, configuration: .init(requireAllPlayed: false), faults: [rateLimited]) { server in
            let started = ContinuousClock.now
            let listed = try await ModelLister(baseURL: server.baseURL, apiKey: key).models()
            XCTAssertEqual(listed.attempts, 2, "one 429, then the recorded answer")
            XCTAssertEqual(listed.ids, ["deepseek-chat", "deepseek-reasoner"])
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .seconds(1), "it waited as Retry-After asked")
        }
    }

    func testGivesUpWhenTheAPIStaysUnavailable() async throws {
        let down = try Fault("GET /models status=503 header=Retry-After:0")
        try await withCassetteServer("deepseek-models", from: SharedCassettes.location, configuration: .init(requireAllPlayed: false), faults: [down]) { server in
            do {
                _ = try await ModelLister(baseURL: server.baseURL, apiKey: key, retries: 2).models()
                XCTFail("a 503 on every attempt must fail")
            } catch let failure as ModelLister.Failure {
                XCTAssertEqual(failure, .status(503))
            }
        }
    }
}
