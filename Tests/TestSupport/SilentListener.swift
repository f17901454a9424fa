import Foundation

/// A TCP listener on 127.0.0.1 (port 0) that accepts connections and never answers: an upstream
/// that hangs. Connections stay open until ``stop()`` (or release).
public final class SilentListener: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false
    /// The accept thread has closed the listening descriptor: its number may belong to another
    /// socket now, so ``stop()`` must not touch it.
    private var listenerClosed = false

    public init() throws {
        let listening = tcpSocket()
        guard listening >= 0 else { throw ShellFailure(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, length) } }
        guard bound == 0, listen(listening, 16) == 0 else { close(listening); throw ShellFailure(description: "bind or listen failed") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        descriptor = listening
        let descriptor = listening
        // The accept thread closes the listener itself, once accept fails (after ``stop()``
        // shut it down): closed from ``stop()`` instead, its descriptor number could be reused by
        // another test's socket while this thread still calls accept on it, and steal that
        // socket's connections.
        let lock = self.lock
        Thread { [weak self] in
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { break }
                let keep = self?.lock.withLock { () -> Bool in
                    if self?.stopped == true { return false }
                    self?.accepted.append(client)
                    return true
                } ?? false
                if !keep { close(client) }
            }
            lock.withLock {
                close(descriptor)
                self?.listenerClosed = true
            }
        }.start()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// How many connections were accepted so far.
    public var acceptedCount: Int { lock.withLock { accepted.count } }

    /// Waits (off the cooperative pool's time, polling) until `count` connections were accepted.
    public func waitForConnections(_ count: Int, within seconds: Double = 30) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while acceptedCount < count {
            guard ContinuousClock.now < deadline else { throw ShellFailure(description: "no \(count) connection(s) to the silent listener within \(seconds) s") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Closes the listener and every accepted connection.
    public func stop() {
        let clients = lock.withLock { () -> [Int32] in
            defer { accepted = []; stopped = true }
            if !stopped, !listenerClosed { shutdown(descriptor, Int32(SHUT_RDWR)) }  // the accept thread then closes it
            return stopped ? [] : accepted
        }
        clients.forEach { close($0) }
    }

    deinit { stop() }
}
