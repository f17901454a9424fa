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

/// Why exchanges in flight were cancelled when a server stopped.
enum Cancellation: Sendable {
    /// The grace period after the first signal ran out.
    case graceExpired
    /// A second signal arrived during the grace period.
    case secondSignal

    /// The warning a command prints; `recording` adds that the cancelled exchanges were not recorded.
    func warning(recording: Bool) -> String {
        let notRecorded = recording ? " and not recorded" : ""
        switch self {
        case .graceExpired: return "exchanges still in flight after the grace period were cancelled" + notRecorded
        case .secondSignal: return "exchanges still in flight were cancelled at the second signal" + notRecorded
        }
    }
}

/// Serves `handler` until SIGINT or SIGTERM, and always stops: the first signal stops
/// accepting (saying so on standard error) and gives exchanges in flight `grace` to finish;
/// then (or at a second signal) they are cancelled. A cancelled exchange is not recorded.
///
/// - Returns: why exchanges had to be cancelled, or `nil` when none were.
@discardableResult
func serveUntilSignalled(_ server: HTTPServer, _ handler: some ExchangeHandler, grace: Duration = .seconds(2)) async throws -> Cancellation? {
    let serving = Task { try await server.run(handler) }
    let signalled = Locked(0)
    let cancellation = Locked<Cancellation?>(nil)
    let signals = StopSignals { _ in
        let count = signalled.withLock { count in count += 1; return count }
        if count == 1 {
            server.stop()
            FileHandle.standardError.write(Data("tapedeck: stopping; exchanges in flight get \(grace.components.seconds) s to finish (a second signal cancels them now)\n".utf8))
            Task {
                try? await Task.sleep(for: grace)
                cancellation.withLock { $0 = $0 ?? .graceExpired }
                serving.cancel()
            }
        } else {
            cancellation.withLock { $0 = $0 ?? .secondSignal }
            serving.cancel()
        }
    }
    let result = await serving.result
    withExtendedLifetime(signals) {}
    if case .failure(let error) = result, !(error is CancellationError), !serving.isCancelled { throw error }
    return serving.isCancelled ? cancellation.withLock { $0 } ?? .graceExpired : nil
}
