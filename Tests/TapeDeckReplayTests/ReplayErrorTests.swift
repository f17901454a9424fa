import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TapeDeck
import TapeDeckReplay

/// A replay error keeps its message and kind however it reaches the caller: as the Swift value
/// (Linux) or as an `NSError` copied from it (Apple's URLSession).
@Suite struct ReplayErrorTests {
    @Test func aMissReachesTheCallerWithTheWholeReportAsItsLocalizedDescription() async throws {
        let player = CassettePlayer(cassette: Cassettes.gateway)
        let session = player.makeSession()
        let error = await #expect(throws: (any Error).self) {
            _ = try await session.data(for: urlRequest("https://gateway.example/v1/modles", ["Authorization": "Bearer k"]))
        }
        let thrown = try #require(error)
        let replay = try #require(ReplayError(bridging: thrown), "\(thrown)")
        #expect(replay.kind == .noMatch)
        #expect(thrown.localizedDescription == replay.description)
        #expect(thrown.localizedDescription.contains("GET https://gateway.example/v1/modles"), "\(thrown.localizedDescription)")
        #expect(!thrown.localizedDescription.contains("couldn't be completed"))
    }

    @Test func anNSErrorCopiedFromAReplayErrorGivesBackItsKindCassetteAndReason() throws {
        let directory = try TemporaryDirectory()
        let original = #expect(throws: ReplayError.self) {
            try CassettePlayer(contentsOf: directory.file("absent.tape"))
        }
        let error = try #require(original)
        // What Apple's URLSession hands a caller: a new NSError with the domain, code and user info.
        let copied = NSError(domain: ReplayError.errorDomain, code: error.errorCode, userInfo: error.errorUserInfo)
        let back = try #require(ReplayError(bridging: copied))
        #expect(back.kind == .cassetteNotFound)
        #expect(back.cassette == error.cassette)
        #expect(back.reason == error.reason)
        #expect(back.description == error.description)
        #expect(copied.localizedDescription == error.description)
        #expect((error as NSError).domain == ReplayError.errorDomain)
        #expect((error as NSError).localizedDescription == error.description)
    }

    @Test func everyKindHasItsOwnCodeAndAForeignErrorIsNotAReplayError() {
        let kinds: [ReplayError.Kind] = [.cassetteNotFound, .cassette, .noMatch, .unplayedInteractions, .unreadableBody, .recordingRefused,
                                         .upstream, .invalidMode, .notJSON]
        let codes = kinds.map { ReplayError($0, reason: "r").errorCode }
        #expect(Set(codes).count == kinds.count, "\(codes)")
        #expect(ReplayError(bridging: URLError(.notConnectedToInternet)) == nil)
        #expect(ReplayError(bridging: NSError(domain: "Other", code: 1)) == nil)
    }

    @Test func aCoreErrorKeepsItsMessageAsAnNSErrorToo() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("broken.tape")
        try Data("not a cassette".utf8).write(to: file)
        let error = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: file) }
        let bridged = try #require(error) as NSError
        #expect(bridged.domain == TapeDeckError.errorDomain)
        #expect(bridged.localizedDescription == error?.description)
        #expect(bridged.localizedDescription.contains(file.path))
    }
}
