public import TapeDeck
public import Testing

extension CassettePlayer {
    /// The player a `.cassette(...)` trait loaded for the running test.
    @TaskLocal public static var current: CassettePlayer?
}

/// A Swift Testing trait that loads a cassette for each test it is applied to, makes it
/// ``CassettePlayer/current``, and records an issue for a cassette that cannot be loaded, each
/// request that missed, and interactions never requested.
///
/// ```swift
/// @Test(.cassette("gateway-models"))
/// func listsTheGatewaysModels() async throws {
///     let session = try #require(CassettePlayer.current).makeSession()
///     ...
/// }
/// ```
public struct CassetteTrait: TestTrait, TestScoping {
    let name: String
    let location: CassetteLocation
    let mode: ReplayMode
    let timing: ReplayTiming
    let matching: MatchConfiguration
    let requireAllPlayed: Bool
    let sourceLocation: SourceLocation

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard let player = CassetteChecks.open(name, from: location, mode: mode, timing: timing, matching: matching,
                                               onFailure: { reportFailure($0, at: sourceLocation) }) else { return }
        try await CassettePlayer.$current.withValue(player) {
            try await function()
        }
        CassetteChecks.problems(of: player, requireAllPlayed: requireAllPlayed).forEach { reportFailure($0, at: sourceLocation) }
    }
}

extension Trait where Self == CassetteTrait {
    /// Loads the cassette `name` for the test; see ``CassetteTrait``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - mode: replay (default) or a recording mode; `TAPEDECK_MODE` overrides it.
    ///   - requireAllPlayed: record an issue when recorded interactions were never requested.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    public static func cassette(
        _ name: String,
        from location: CassetteLocation? = nil,
        mode: ReplayMode = .replay,
        timing: ReplayTiming = .instant,
        matching: MatchConfiguration = .standard,
        requireAllPlayed: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Self {
        CassetteTrait(name: name, location: location ?? .packageCassettes(filePath: sourceLocation.filePath), mode: mode, timing: timing,
                      matching: matching, requireAllPlayed: requireAllPlayed, sourceLocation: sourceLocation)
    }
}
