
/// Keeps the cassette in the order requests arrived, among requests that replay would answer
/// in recorded order (equal match keys): a finished exchange waits only for earlier-arrived
/// exchanges with the same key, so identical requests replay in the order the client sent them,
/// whatever their answers' sizes and timings, while every other exchange reaches disk at once.
package final class ArrivalOrder: Sendable {
    /// A place in line, taken when a request arrives.
    package struct Ticket: Sendable {
        fileprivate let number: UInt64
        fileprivate let key: MatchKey
    }

    private struct State {
        var next: UInt64 = 0
        /// Per key, the tickets not yet written or abandoned, in arrival order.
        var waiting: [MatchKey: [UInt64]] = [:]
        /// Finished exchanges held until the tickets before them are done (`nil`: abandoned).
        var finished: [UInt64: Interaction?] = [:]
    }

    private let state = Locked(State())

    package init() {}

    /// A ticket for a request whose match key is `key`.
    package func ticket(key: MatchKey) -> Ticket {
        state.withLock { state in
            defer { state.next += 1 }
            state.waiting[key, default: []].append(state.next)
            return Ticket(number: state.next, key: key)
        }
    }

    /// Ends `ticket`: with the interaction to write, or `nil` when the exchange failed and is not
    /// recorded. Writes it, and every held exchange it was blocking, in arrival order, through
    /// `write` (called under this object's lock, one at a time, told whether the interaction is
    /// `ticket`'s own or one that was held).
    package func finish(_ ticket: Ticket, with interaction: Interaction?, write: (_ interaction: Interaction, _ own: Bool) -> Void) {
        state.withLock { state in
            state.finished[ticket.number] = .some(interaction)
            var line = state.waiting[ticket.key] ?? []
            while let first = line.first, let done = state.finished.removeValue(forKey: first) {
                line.removeFirst()
                if let done { write(done, first == ticket.number) }
            }
            state.waiting[ticket.key] = line.isEmpty ? nil : line
        }
    }
}
