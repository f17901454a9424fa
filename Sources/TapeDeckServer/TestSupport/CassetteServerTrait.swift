public import Foundation
public import TapeDeck
public import TapeDeckReplay
public import Testing

/// A Swift Testing trait that starts a ``CassetteServer`` for each test it is applied to, makes it
/// ``CassetteServer/current``, stops it when the test ends, and records an issue for a cassette
/// that cannot be served, each request that missed, and interactions never requested.
///
/// ```swift
/// @Test(.cassetteServer("gateway-models"))
/// func listsTheGatewaysModels() async throws {
///     let baseURL = try #require(CassetteServer.current).baseURL
///     ...
/// }
/// ```
public struct CassetteServerTrait: TestTrait, TestScoping {
    let name: String
    let location: CassetteLocation?
    let mode: ReplayMode
    let upstream: URL?
    let timing: ReplayTiming
    let matching: MatchConfiguration
    let faults: [Fault]
    let requireAllPlayed: Bool
    let sourceLocation: SourceLocation

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard let server = await ServerChecks.start(name, from: location, mode: mode, upstream: upstream, timing: timing, matching: matching,
                                                    faults: faults, filePath: sourceLocation.filePath,
                                                    onFailure: { reportFailure($0, at: sourceLocation) }) else { return }
        try await ServerChecks.serving(server, requireAllPlayed: requireAllPlayed, report: { reportFailure($0, at: sourceLocation) }) {
            try await function()
        }
    }
}

extension Trait where Self == CassetteServerTrait {
    /// Serves the cassette `name` for the test; see ``CassetteServerTrait``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - mode: replay (default) or a recording mode; `TAPEDECK_MODE` overrides it.
    ///   - upstream: the real API's base URL, for the recording modes.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - faults: faults to inject.
    ///   - requireAllPlayed: record an issue when recorded interactions were never requested.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    public static func cassetteServer(
        _ name: String,
        from location: CassetteLocation? = nil,
        mode: ReplayMode = .replay,
        upstream: URL? = nil,
        timing: ReplayTiming = .instant,
        matching: MatchConfiguration = .standard,
        faults: [Fault] = [],
        requireAllPlayed: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Self {
        CassetteServerTrait(name: name, location: location, mode: mode, upstream: upstream, timing: timing, matching: matching, faults: faults,
                            requireAllPlayed: requireAllPlayed, sourceLocation: sourceLocation)
    }
}
