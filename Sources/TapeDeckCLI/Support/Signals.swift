import Foundation
import TapeDeck
import TapeDeckProxy

/// Calls `action` on every SIGINT or SIGTERM (the default handlers are switched off, so the
/// process is not killed before it has tidied up).
final class StopSignals: @unchecked Sendable {
    // Dispatch sources are only touched here, at set-up; they live as long as this object.
    private var sources: [any DispatchSourceSignal] = []

    init(_ action: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { action(number) }
            source.resume()
            sources.append(source)
        }
    }
}

/// Serves `handler` until SIGINT or SIGTERM, and always stops: the first signal stops
/// accepting and gives exchanges in flight `grace` to finish; then (or at a second signal)
/// they are cancelled. A cancelled exchange is not recorded.
///
/// - Returns: whether exchanges had to be cancelled.
@discardableResult
func serveUntilSignalled(_ server: HTTPServer, _ handler: some ExchangeHandler, grace: Duration = .seconds(2)) async throws -> Bool {
    let serving = Task { try await server.run(handler) }
    let signalled = Locked(0)
    let signals = StopSignals { _ in
        let count = signalled.withLock { count in count += 1; return count }
        if count == 1 {
            server.stop()
            Task {
                try? await Task.sleep(for: grace)
                serving.cancel()
            }
        } else {
            serving.cancel()
        }
    }
    let result = await serving.result
    withExtendedLifetime(signals) {}
    if case .failure(let error) = result, !(error is CancellationError), !serving.isCancelled { throw error }
    return serving.isCancelled
}
