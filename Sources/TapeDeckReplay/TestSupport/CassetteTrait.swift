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
///
/// @Suite(.cassette)            // each test its own cassette: ModelTests.listsModels.tape, ...
/// struct ModelTests { ... }
/// ```
///
/// - On a test: with no name, the cassette is named after the test (`TestCassetteName`'s
///   spelling: `Suite.test`).
/// - On a suite, with no name: each test of the suite (and of the suites inside it) gets a
///   cassette and a player of its own, named after it, so the suite's tests may run in parallel.
/// - On a suite, with a name: one player for the whole suite, shared by its tests, checked when
///   the last of them ends. Replaying it in parallel works (each request takes the first
///   unplayed match); *recording* it needs the suite to be `.serialized`, since tests that run
///   at once would interleave their recordings: the trait refuses, saying so, and runs nothing.
///   A parameterized test that records also needs `.serialized`, its cases sharing one cassette.
///
/// A test that fails keeps nothing it recorded (see ``ReplayConfiguration/keepFailedRecordings``).
public struct CassetteTrait: TestTrait, SuiteTrait, TestScoping {
    let name: String?
    let location: CassetteLocation
    let configuration: ReplayConfiguration
    let sourceLocation: SourceLocation
    /// Tells this trait's copies on a suite's tests that the suite's shared player is current.
    let token = TraitScope.Token()

    /// Applies to every test in a suite it is given to.
    public var isRecursive: Bool { true }

    /// On a suite, a scope only for a shared (named) cassette; on a test, one per test case.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> CassetteTrait? {
        TraitScope.applies(to: test, testCase: testCase, name: name) ? self : nil
    }

    /// Loads the cassette, runs the test (or the suite) with it, then checks and ends it.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await TraitScope.run(test, name: name, mode: configuration.mode, token: token, at: sourceLocation,
                                 open: { name throws(ReplayError) in try await CassetteChecks.openInBackground(name, from: location, configuration: configuration) },
                                 current: { opened, body in try await CassettePlayer.$current.withValue(opened.player) { try await body() } },
                                 end: { opened, failed in await offThePool { CassetteChecks.end(opened, failed: failed) } },
                                 performing: function)
    }
}

extension Trait where Self == CassetteTrait {
    /// A cassette named after each test it applies to; see ``CassetteTrait``.
    public static var cassette: Self { .cassette(configuration: .standard) }

    /// A cassette named after each test it applies to, loaded as `configuration` says; see
    /// ``CassetteTrait``.
    ///
    /// - Parameters:
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    public static func cassette(from location: CassetteLocation? = nil, configuration: ReplayConfiguration = .standard,
                                sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        CassetteTrait(name: nil, location: location ?? .packageCassettes(filePath: sourceLocation.filePath), configuration: configuration,
                      sourceLocation: sourceLocation)
    }

    /// Loads the cassette `name` as `configuration` says; see ``CassetteTrait``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    public static func cassette(_ name: String, from location: CassetteLocation? = nil, configuration: ReplayConfiguration = .standard,
                                sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        CassetteTrait(name: name, location: location ?? .packageCassettes(filePath: sourceLocation.filePath), configuration: configuration,
                      sourceLocation: sourceLocation)
    }

    /// Loads the cassette `name` for the test; the form with each setting a parameter of its
    /// own. See ``CassetteTrait``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to find it; by default the `cassettes/` folder of the package that
    ///     holds the test file.
    ///   - mode: replay (default), a recording mode, or live; `TAPEDECK_MODE` overrides it.
    ///   - requireAllPlayed: record an issue when recorded interactions were never requested.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - sourceLocation: where issues are recorded; the test's own location by default.
    @available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:requireAllPlayed:) instead")
    public static func cassette(
        _ name: String,
        from location: CassetteLocation? = nil,
        mode: ReplayMode = .replay,
        timing: ReplayTiming = .instant,
        matching: MatchConfiguration = .standard,
        requireAllPlayed: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Self {
        .cassette(name, from: location, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching, requireAllPlayed: requireAllPlayed),
                  sourceLocation: sourceLocation)
    }
}
