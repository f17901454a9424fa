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
}
