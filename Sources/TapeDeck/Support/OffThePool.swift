import Dispatch

/// Runs blocking `work` (file I/O, compression) on a dispatch queue and suspends until it is
/// done, so an async caller does not hold a thread of the cooperative pool while it waits.
package func offThePool<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, E>, Never>) in
        DispatchQueue.global().async {
            continuation.resume(returning: Result { () throws(E) -> T in try work() })
        }
    }
    return try result.get()
}
