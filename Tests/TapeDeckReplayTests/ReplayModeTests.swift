import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck
@testable import TapeDeckReplay

@Suite struct ReplayModeTests {
    private func open(_ mode: ReplayMode, _ environment: [String: String]) throws -> CassettePlayer {
        let directory = try TemporaryDirectory()
        return try CassettePlayer(contentsOf: Cassettes.write(Cassettes.gateway, to: directory), mode: mode, timing: .instant,
                                  matching: .standard, environment: environment)
    }

    @Test func theEnvironmentOverridesTheModeChosenInCode() throws {
        #expect(try open(.recordMissing, ["TAPEDECK_MODE": "replay"]).mode == .replay)
        #expect(try open(.replay, ["TAPEDECK_MODE": "record-all"]).mode == .recordAll)
        #expect(try open(.recordMissing, [:]).mode == .recordMissing)
    }

    @Test func recordingOnCIIsRefusedUnlessTheEnvironmentAsksForIt() throws {
        let error = #expect(throws: ReplayError.self) { try open(.recordMissing, ["CI": "true"]) }
        #expect(error?.kind == .recordingRefused)
        #expect(error?.description.contains("set TAPEDECK_MODE=record-missing to record on CI on purpose") == true)
        #expect(try open(.recordMissing, ["CI": "true", "TAPEDECK_MODE": "record-missing"]).mode == .recordMissing)
        #expect(try open(.replay, ["CI": "true"]).mode == .replay)
    }

    @Test func anUnknownModeIsAnErrorNamingTheValue() {
        let error = #expect(throws: ReplayError.self) { try open(.replay, ["TAPEDECK_MODE": "record-some"]) }
        #expect(error?.kind == .invalidMode)
        #expect(error?.description.contains("TAPEDECK_MODE=record-some is not a mode") == true)
    }
}
