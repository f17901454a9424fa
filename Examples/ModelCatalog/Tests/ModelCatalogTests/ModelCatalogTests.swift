import Foundation
import ModelCatalog
import TapeDeckCassettes
import TapeDeckReplay
import XCTest

/// ModelCatalog against TapeDeck's shipped cassettes: offline, no key, every format.
final class ModelCatalogTests: XCTestCase {
    private let key = "sk-not-a-real-key"

    func testListsDeepSeekModelsFromTheOpenAICompatibleEndpoint() async throws {
        try await withCassette("deepseek-models", from: SharedCassettes.location, configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
            let catalog = ModelCatalog(api: .openAICompatible(baseURL: URL(string: "https://api.deepseek.com")!), apiKey: key, session: player.makeSession())
            let models = try await catalog.models()
            XCTAssertEqual(models.map(\.id), ["deepseek-chat", "deepseek-reasoner"])
            XCTAssertEqual(models.first?.owner, "deepseek")
        }
    }

    func testListsDeepSeekModelsUnderTheV1BaseURLToo() async throws {
        try await withCassette("deepseek-models", from: SharedCassettes.location, configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
            let catalog = ModelCatalog(api: .openAICompatible(baseURL: URL(string: "https://api.deepseek.com/v1")!), apiKey: key, session: player.makeSession())
            let models = try await catalog.models()
            XCTAssertEqual(models.count, 2)
        }
    }

    func testTheGatewayAnswersEachFormatFromOneCassette() async throws {
        try await withCassette("gateway-models", from: SharedCassettes.location) { player in
            let session = player.makeSession()
            let gateway = URL(string: "https://gateway.example.com")!
            let openAI = try await ModelCatalog(api: .openAICompatible(baseURL: gateway.appendingPathComponent("v1")), apiKey: key, session: session).models()
            // The gateway picks the format of one GET /v1/models from the credential header.
            let gemini = try await ModelCatalog(api: .gemini(baseURL: gateway, path: "v1/models"), apiKey: key, session: session).models()
            let anthropic = try await ModelCatalog(api: .anthropic(baseURL: gateway), apiKey: key, session: session).models()
            XCTAssertEqual(openAI.map(\.id), ["gpt-4o", "gpt-4", "claude-sonnet-4-20250514", "gemini-2.0-flash"])
            XCTAssertEqual(gemini.map(\.id), openAI.map(\.id))
            XCTAssertEqual(anthropic.map(\.displayName), ["GPT-4o", "GPT-4", "Claude Sonnet 4", "Gemini 2.0 Flash"])
        }
    }

    func testFollowsGeminiPages() async throws {
        try await withCassette("gemini-models", from: SharedCassettes.location) { player in
            let catalog = ModelCatalog(api: .gemini(pageSize: 2), apiKey: key, session: player.makeSession())
            let models = try await catalog.models()
            XCTAssertEqual(models.count, 5)
            XCTAssertEqual(models.first, Model(id: "gemini-2.5-pro", displayName: "Gemini 2.5 Pro", owner: "google"))
        }
    }

    func testFollowsAnthropicPages() async throws {
        try await withCassette("anthropic-models", from: SharedCassettes.location) { player in
            let catalog = ModelCatalog(api: .anthropic(limit: 2), apiKey: key, session: player.makeSession())
            let models = try await catalog.models()
            XCTAssertEqual(models.map(\.id),
                           ["claude-opus-4-20250514", "claude-sonnet-4-20250514", "claude-3-7-sonnet-20250219", "claude-3-5-haiku-20241022"])
        }
    }

    func testAWrongKeyIsAnErrorWithTheAPIsMessage() async throws {
        try await withCassette("deepseek-unauthorized", from: SharedCassettes.location) { player in
            let catalog = ModelCatalog(api: .openAICompatible(baseURL: URL(string: "https://api.deepseek.com")!), apiKey: "sk-wrong", session: player.makeSession())
            do {
                _ = try await catalog.models()
                XCTFail("a 401 must throw")
            } catch let error as ModelCatalogError {
                XCTAssertEqual(error.status, 401)
                XCTAssertTrue(error.message.hasPrefix("Incorrect API key provided: REDACTED"), error.message)
            }
        }
    }
}
