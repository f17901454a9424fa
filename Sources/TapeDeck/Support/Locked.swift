import Foundation

/// A value guarded by a lock: the one way this package shares mutable state between threads.
///
/// A pthread mutex (through `NSLock`) rather than `Synchronization.Mutex`: on Linux `Mutex`
/// waits on a raw futex, which ThreadSanitizer cannot see, so every access under it is reported
/// as a race. With this lock `swift test --sanitize=thread` stays meaningful.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
