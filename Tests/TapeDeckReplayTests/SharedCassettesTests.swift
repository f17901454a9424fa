import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
import TapeDeckCassettes
import TapeDeckReplay

/// The shipped cassettes, by name, as another package sees them.
@Suite struct SharedCassettesTests {
    @Test(arguments: ["deepseek-models", "deepseek-unauthorized", "gateway-models", "gemini-models", "anthropic-models"])
    func everyShippedCassetteLoadsWholeAndHoldsNoCredential(_ name: String) throws {
        let url = try SharedCassettes.url(named: name)
        let cassette = try Cassette(contentsOf: url)
        #expect(cassette.warnings.isEmpty)
        #expect(!cassette.interactions.isEmpty)
        #expect(cassette.interactions.allSatisfy { !$0.request.redacted.isEmpty }, "every request carried a credential that was removed")
        let plain = try shell("gzip -dc '\(url.path)'")
        for needle in ["sk-example", "AIza-example", "sk-ant-example", "sk-invalid-example"] {
            #expect(plain.range(of: Data(needle.utf8)) == nil, "\(name) holds \(needle)")
        }
    }

    @Test(.cassette("gateway-models"))
    func theTraitFindsThisPackagesCassettesByDefault() async throws {
        let session = try #require(CassettePlayer.current).makeSession()
        for headers in [["Authorization": "Bearer a-key"], ["x-goog-api-key": "a-key"], ["x-api-key": "a-key", "anthropic-version": "2023-06-01"]] {
            let (_, response) = try await session.data(for: urlRequest("https://gateway.example.com/v1/models", headers))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
        }
    }

    @Test func aNameThatIsNotShippedListsWhatIs() {
        let error = #expect(throws: ReplayError.self) { try SharedCassettes.url(named: "openai-models") }
        #expect(error?.description.contains("deepseek-models.tape") == true)
    }
}
