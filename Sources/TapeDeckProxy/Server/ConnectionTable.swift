/// The server's connections and what each is doing, with every decision about opening, keeping
/// and closing them: a plain value, changed only through its transitions, tested without I/O
/// (the I/O is ``HTTPServer``'s).
///
/// A connection is `fresh` (accepted, no request yet), `receiving` a request, `answering` it,
/// or `idle` between requests of a kept-alive client. The idle timeout spares an answering
/// connection (a long stream is not idleness); ``stop()`` closes idle ones at once, gives fresh
/// ones a grace period for their first request, and lets the others finish their exchange.
struct ConnectionTable<ID: Hashable, Channel> {
    enum Phase: Equatable {
        case fresh, receiving, answering, idle
    }

    /// What ``stop()`` asks of the server.
    struct Stopping {
        /// Kept-alive connections between requests: close now.
        var closeNow: [Channel]
        /// Connections with no request yet: close after the grace period unless
        /// ``closesAfterGrace(_:)`` says a request started meanwhile.
        var closeAfterGrace: [(id: ID, channel: Channel)]
    }

    private var entries: [ID: (channel: Channel, phase: Phase)] = [:]
    private(set) var isStopping = false
    /// How many connections were let in so far.
    private(set) var acceptedCount = 0

    /// A connection arrived; `false` when the server is stopping (close it unserved).
    mutating func accept(_ id: ID, channel: Channel) -> Bool {
        guard !isStopping else { return false }
        acceptedCount += 1
        entries[id] = (channel, .fresh)
        return true
    }

    /// A request's head arrived.
    mutating func requestStarted(_ id: ID) { entries[id]?.phase = .receiving }

    /// The request is whole and the handler is answering.
    mutating func answerStarted(_ id: ID) { entries[id]?.phase = .answering }

    /// The answer is sent; returns whether the connection stays open for another request (not
    /// when the server is stopping or the exchange asked to close).
    mutating func answered(_ id: ID, keepAlive: Bool) -> Bool {
        entries[id]?.phase = .idle
        return keepAlive && !isStopping
    }

    /// The connection is gone, on whatever path.
    mutating func closed(_ id: ID) { entries[id] = nil }

    /// Stops letting connections in; says which open ones to close.
    mutating func stop() -> Stopping {
        isStopping = true
        var stopping = Stopping(closeNow: [], closeAfterGrace: [])
        for (id, entry) in entries {
            switch entry.phase {
            case .idle: stopping.closeNow.append(entry.channel)
            case .fresh: stopping.closeAfterGrace.append((id, entry.channel))
            case .receiving, .answering: break
            }
        }
        return stopping
    }

    /// Whether a connection given a grace period by ``stop()`` is to be closed now: it is still
    /// open and not in an exchange.
    func closesAfterGrace(_ id: ID) -> Bool {
        guard let phase = entries[id]?.phase else { return false }
        return phase == .fresh || phase == .idle
    }

    /// Whether the idle timeout spares the connection.
    func isAnswering(_ id: ID) -> Bool { entries[id]?.phase == .answering }

    /// The phase of a connection, `nil` once closed.
    func phase(of id: ID) -> Phase? { entries[id]?.phase }
}
