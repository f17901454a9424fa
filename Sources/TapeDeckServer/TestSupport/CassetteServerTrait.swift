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
///
/// @Suite(.cassetteServer)      // each test its own server and cassette, named after the test
/// struct GatewayTests { ... }
/// ```
///
/// On a suite it works as `CassetteTrait` does: with no name, every test of the suite gets a
/// server and cassette of its own, named after it; with a name, one server serves the whole suite
/// (recording it needs `.serialized`). A test that fails keeps nothing it recorded.
public struct CassetteServerTrait: TestTrait, SuiteTrait, TestScoping {
    let name: String?
    let location: CassetteLocation?
    let upstream: URL?
    let configuration: ReplayConfiguration
    let faults: [Fault]
    let sourceLocation: SourceLocation
    /// Tells this trait's copies on a suite's tests that the suite's shared server is current.
    let token = TraitScope.Token()

    /// Applies to every test in a suite it is given to.
    public var isRecursive: Bool { true }

    /// On a suite, a scope only for a shared (named) cassette; on a test, one per test case.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> CassetteServerTrait? {
        TraitScope.applies(to: test, testCase: testCase, name: name) ? self : nil
    }

    /// Starts the server, runs the test (or the suite) with it, then stops and checks it.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await TraitScope.run(test, name: name, mode: configuration.mode, token: token, at: sourceLocation,
                                 open: { name throws(ReplayError) in
                                     try await ServerChecks.start(name, from: location, upstream: upstream, configuration: configuration, faults: faults,
                                                                  filePath: sourceLocation.filePath)
                                 },
                                 current: { started, body in try await CassetteServer.$current.withValue(started.server) { try await body() } },
                                 end: { started, failed in await ServerChecks.end(started, failed: failed) },
                                 performing: function)
    }
}

extension Trait where Self == CassetteServerTrait {
    /// A server for a cassette named after each test it applies to (replay); see ``CassetteServerTrait``.
    public static var cassetteServer: Self { .cassetteServer(configuration: .standard) }

    /// A server for a cassette named after each test it applies to, as `configuration` says;
    /// see ``CassetteServerTrait``.
    ///
    /// - Parameters:
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - upstream: the real API's base URL, for the modes that reach the network.
    ///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
    ///   - faults: faults to inject.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    public static func cassetteServer(from location: CassetteLocation? = nil, upstream: URL? = nil,
                                      configuration: ReplayConfiguration = .standard, faults: [Fault] = [],
                                      sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        CassetteServerTrait(name: nil, location: location, upstream: upstream, configuration: configuration, faults: faults,
                            sourceLocation: sourceLocation)
    }

    /// Serves the cassette `name` as `configuration` says; see ``CassetteServerTrait``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - upstream: the real API's base URL, for the modes that reach the network.
    ///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
    ///   - faults: faults to inject.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    public static func cassetteServer(_ name: String, from location: CassetteLocation? = nil, upstream: URL? = nil,
                                      configuration: ReplayConfiguration = .standard, faults: [Fault] = [],
                                      sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        CassetteServerTrait(name: name, location: location, upstream: upstream, configuration: configuration, faults: faults,
                            sourceLocation: sourceLocation)
    }

    /// Serves the cassette `name` for the test; the form with each setting a parameter of its
    /// own. See ``CassetteServerTrait``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - mode: replay (default), a recording mode, or live; `TAPEDECK_MODE` overrides it.
    ///   - upstream: the real API's base URL, for the modes that reach the network.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - faults: faults to inject.
    ///   - requireAllPlayed: record an issue when recorded interactions were never requested.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    @available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:requireAllPlayed:) instead")
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
        .cassetteServer(name, from: location, upstream: upstream,
                        configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching, requireAllPlayed: requireAllPlayed),
                        faults: faults, sourceLocation: sourceLocation)
    }
}
