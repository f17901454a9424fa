import Foundation

/// Calls `action` once on the first SIGINT or SIGTERM (the default handlers are switched off,
/// so the process is not killed before it has tidied up).
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
