import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeckReplay
import XCTest

/// The XCTest side of the glue: `withCassette` in an XCTestCase.
final class WithCassetteXCTests: XCTestCase {
    func testWithCassetteReplaysInsideAnXCTest() async throws {
        let answer = try await withCassette("gateway-models", from: .folder(TraitFixtures.folder), configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
            let (data, response) = try await player.makeSession().data(for: urlRequest("https://gateway.example/v1/models", ["x-goog-api-key": "AIza-xctest"]))
            XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 200)
            return text(data)
        }
        XCTAssertEqual(answer, Cassettes.gemini)
    }

    func testTheSynchronousFormLoadsThePlayer() throws {
        let count = withCassette("gateway-models", from: .folder(TraitFixtures.folder), configuration: ReplayConfiguration(requireAllPlayed: false)) { player in
            player.name
        }
        XCTAssertEqual(count, "gateway-models")
    }
}
