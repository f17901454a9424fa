import Foundation
package import Testing

/// What the `.cassette` and `.cassetteServer` traits share about where they apply: per test
/// case, or once around a suite whose tests share one named cassette.
package enum TraitScope {
    /// An identity for one trait written in the source, passed to its copies on a suite's tests.
    package final class Token: Sendable, Equatable {
        package init() {}
        package static func == (a: Token, b: Token) -> Bool { a === b }
    }

    /// The token of the suite trait whose shared player or server is current, if any.
    @TaskLocal package static var sharing: Token?

    /// Whether a trait of `name` gets a scope here: on a suite only for a shared (named) cassette,
    /// on a test once per test case.
    package static func applies(to test: Test, testCase: Test.Case?, name: String?) -> Bool {
        test.isSuite ? name != nil : testCase != nil
    }

    /// The cassette for `test`: `name`, or one named after the test.
    package static func cassetteName(_ name: String?, for test: Test) -> String {
        name ?? TestCassetteName.forTest(test)
    }

    /// Why tests that run at once cannot record into one cassette here, if they would: a suite
    /// sharing a named cassette, or a parameterized test's cases, without `.serialized`.
    package static func parallelRecordingRefusal(for test: Test, name: String?, mode: ReplayMode) -> String? {
        guard test.isSuite || test.isParameterized,
              ReplayMode.inForce(mode, environment: TestEnvironment.variables).records,
              !test.traits.contains(where: { $0 is ParallelizationTrait }) else { return nil }
        let cassette = cassetteName(name, for: test)
        return test.isSuite
            ? "TapeDeck: the tests of suite \(test.name) would record into one cassette '\(cassette)' while running in parallel, interleaving their recordings; mark the suite .serialized, or use the trait with no name so each test records its own. Nothing was run."
            : "TapeDeck: the cases of parameterized test \(test.name) would record into one cassette '\(cassette)' while running in parallel; mark the test .serialized. Nothing was run."
    }

    /// What a trait's scope does, for a player or a server: a test of a suite that shares the
    /// trait's cassette runs as it is; otherwise the cassette is opened (an issue if it cannot
    /// be, or if tests that run at once would record into it), the test or suite runs with it
    /// current, and its end is checked, knowing whether the test failed.
    ///
    /// - Parameters:
    ///   - open: opens the cassette called as given.
    ///   - current: runs its body with the opened value current (`CassettePlayer.current`, ...).
    ///   - end: ends it; the messages to record as issues.
    package static func run<Opened: Sendable>(
        _ test: Test, name: String?, mode: ReplayMode, token: Token, at sourceLocation: SourceLocation,
        open: (String) async throws(ReplayError) -> Opened,
        current: (Opened, () async throws -> Void) async throws -> Void,
        end: @escaping @Sendable (Opened, Bool) async -> [String],
        performing function: @Sendable () async throws -> Void
    ) async throws {
        if !test.isSuite, sharing == token {
            try await function()
            return
        }
        if let refusal = parallelRecordingRefusal(for: test, name: name, mode: mode) {
            reportFailure(refusal, at: sourceLocation)
            return
        }
        let opened: Opened
        do throws(ReplayError) {
            opened = try await open(cassetteName(name, for: test))
        } catch {
            reportFailure(error.description, at: sourceLocation)
            return
        }
        let shared = test.isSuite ? token : nil
        let (outcome, failed) = await withoutActuallyEscaping(function) { function in
            await FailureWatch.run { () async throws -> Void in
                try await current(opened) { try await $sharing.withValue(shared) { try await function() } }
            }
        }
        await end(opened, failed).forEach { reportFailure($0, at: sourceLocation) }
        try outcome.get()
    }
}
