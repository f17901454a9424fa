import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// Eight players with different cassettes, 1,000 requests each, all at once: every answer must
/// come from the requesting player's own cassette.
@Suite struct ParallelPlayersTests {
    @Test func eightPlayersAtOnceEachGetOnlyTheirOwnAnswers() async throws {
        let directory = try TemporaryDirectory()
        let players = try (0..<8).map { player in
            let cassette = Cassette(name: "player-\(player)", interactions: (0..<20).map { page in
                Cassettes.get("https://api.deepseek.com/models?page=\(page)", [.header("authorization")], body: "player \(player) page \(page)")
            })
            return try CassettePlayer(contentsOf: Cassettes.write(cassette, to: directory))
        }
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, player) in players.enumerated() {
                group.addTask {
                    let session = player.makeSession()
                    var wrong = 0
                    for request in 0..<1_000 {
                        let page = (request * 7 + index) % 20
                        let (data, _) = try await session.data(for: urlRequest("https://api.deepseek.com/models?page=\(page)"))
                        if text(data) != "player \(index) page \(page)" { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
        for player in players {
            #expect(player.failures.isEmpty)
            try player.assertAllPlayed()
        }
    }
}
