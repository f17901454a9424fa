import Foundation
import TapeDeck
import Testing
import XCTest

/// Whether the running test failed while a piece of it ran: an error thrown out of it, an issue
/// Swift Testing recorded (`#expect`, `Issue.record`), or a failure XCTest recorded (`XCTAssert`,
/// `XCTFail`). The glue discards what a failed test recorded, so it must know.
///
/// Swift Testing has no public way to ask whether a test has failed; an `IssueHandlingTrait`
/// scope sees every issue recorded inside it (Swift 6.3 and later: `Issue.isFailure`). XCTest's
/// observers hear every failure; tests of one XCTest process run one at a time, so a count taken
/// before and after tells whether this test failed.
package enum FailureWatch {
    /// Runs `body`; returns what it returned or threw, and whether the test failed meanwhile.
    package static func run<R, E: Error>(_ body: () async throws(E) -> R) async -> (outcome: Result<R, E>, failed: Bool) {
        let xcTestFailures = XCTestFailureCount.shared.startUnlessSwiftTesting()
        let box = Box<R, E>()
        let issues = Locked(false)
        await withoutActuallyEscaping(body) { body in
            let unsafeBody = UnsafeSendable(body)
            let run: @Sendable () async -> Void = {
                do throws(E) {
                    box.outcome = .success(try await unsafeBody.value())
                } catch {
                    box.outcome = .failure(error)
                }
            }
            await inIssueScope(noting: issues, run)
        }
        let outcome = box.outcome!
        let thrown = if case .failure = outcome { true } else { false }
        return (outcome, thrown || issues.withLock { $0 } || XCTestFailureCount.shared.count > xcTestFailures)
    }

    /// The synchronous form: Swift Testing issues are not seen here (a scope needs `await`), only
    /// what is thrown and what XCTest records.
    package static func run<R, E: Error>(_ body: () throws(E) -> R) -> (outcome: Result<R, E>, failed: Bool) {
        let xcTestFailures = XCTestFailureCount.shared.startUnlessSwiftTesting()
        let outcome = Result { () throws(E) -> R in try body() }
        let thrown = if case .failure = outcome { true } else { false }
        return (outcome, thrown || XCTestFailureCount.shared.count > xcTestFailures)
    }

    /// Runs `work` inside an issue-handling scope of the running Swift Testing test that sets
    /// `noting` on each failing issue and passes every issue on unchanged.
    private static func inIssueScope(noting failed: Locked<Bool>, _ work: @escaping @Sendable () async -> Void) async {
        #if compiler(>=6.3)
        if let test = Test.current {
            let watcher = IssueHandlingTrait.compactMapIssues { issue in
                if issue.isFailure { failed.withLock { $0 = true } }
                return issue
            }
            // `work` throws nothing, so neither does the scope.
            try? await watcher.provideScope(for: test, testCase: Test.Case.current, performing: work)
            return
        }
        #endif
        await work()
    }

    /// Where the outcome of a body run inside a `@Sendable` scope is left.
    private final class Box<R, E: Error>: @unchecked Sendable {  // written once, read after the scope returns
        var outcome: Result<R, E>?
    }

    /// A value carried into a `@Sendable` closure that runs before the caller continues.
    private struct UnsafeSendable<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}

/// Counts the failures XCTest records, process-wide, once anything asked.
final class XCTestFailureCount: NSObject, XCTestObservation, @unchecked Sendable {  // state behind `Locked`
    static let shared = XCTestFailureCount()
    private let failures = Locked(0)
    private let registered = Locked(false)

    /// How many failures XCTest has recorded so far.
    var count: Int { failures.withLock { $0 } }

    /// Registers with XCTest on first use from an XCTest test and returns the count so far (a
    /// Swift Testing test never registers: its failures are issues, heard elsewhere). Apple's
    /// XCTest accepts observers only on the main thread (it throws otherwise), which runs its run
    /// loop while a test runs; swift-corelibs-xctest does not care.
    func startUnlessSwiftTesting() -> Int {
        guard Test.current == nil else { return count }
        let first = registered.withLock { registered in defer { registered = true }; return !registered }
        if first {
            let add: @Sendable () -> Void = { XCTestObservationCenter.shared.addTestObserver(XCTestFailureCount.shared) }
            if Thread.isMainThread || FoundationFlavor.current == .corelibs { add() } else { DispatchQueue.main.sync(execute: add) }
        }
        return count
    }

    #if canImport(Darwin)
    func testCase(_ testCase: XCTestCase, didRecord issue: XCTIssue) {
        failures.withLock { $0 += 1 }
    }
    #else
    func testCase(_ testCase: XCTestCase, didFailWithDescription description: String, inFile filePath: String?, atLine lineNumber: Int) {
        failures.withLock { $0 += 1 }
    }
    #endif
}
