import Foundation
import TapeDeckTestSupport

/// A small HTTP/1.1 server on 127.0.0.1 (port 0: the system picks), one request per
/// connection, for the recording tests. The replay library has no SwiftNIO, so neither do its
/// tests: plain sockets and a thread.
final class LoopbackServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]  // lower-case names
        var body: Data
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        /// Sent one after another with `gap` between them; the connection closes after the last.
        var pieces: [Data]
        var gap: TimeInterval = 0
    }

    let port: Int
    private let descriptor: Int32
    private let handler: @Sendable (Request) -> Response
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false
    /// The accept thread has closed the listening descriptor (see ``stop()``).
    private var listenerClosed = false

    var requests: [Request] { lock.withLock { received } }

    init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let descriptor = tcpSocket()
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(descriptor, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Shuts the listener down; the accept thread closes it once its accept fails. Closed from
    /// here instead, its descriptor number could be reused by another test's socket while the
    /// thread still calls accept on it, and that socket's requests would be served (and noted)
    /// by this server.
    func stop() {
        lock.withLock {
            if !stopped, !listenerClosed { shutdown(descriptor, Int32(SHUT_RDWR)) }
            stopped = true
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(descriptor, nil, nil)
            if client < 0 { break }
            Thread { [self] in serve(client) }.start()
        }
        lock.withLock {
            close(descriptor)
            listenerClosed = true
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = read(client, &chunk, chunk.count)
            if count <= 0 { return }
            buffer.append(contentsOf: chunk[0..<count])
            headerEnd = buffer.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[headerEnd!.upperBound...])
        let expected = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < expected {
            let count = read(client, &chunk, chunk.count)
            if count <= 0 { break }
            body.append(contentsOf: chunk[0..<count])
        }
        let request = Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: body)
        lock.withLock { received.append(request) }
        let response = handler(request)
        var text = "HTTP/1.1 \(response.status) Status\r\nConnection: close\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        if response.pieces.count <= 1 { text += "Content-Length: \(response.pieces.first?.count ?? 0)\r\n" }
        text += "\r\n"
        send(client, Data(text.utf8))
        for (index, piece) in response.pieces.enumerated() {
            if index > 0, response.gap > 0 { Thread.sleep(forTimeInterval: response.gap) }
            send(client, piece)
        }
    }

    private func send(_ client: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let count = write(client, raw.baseAddress! + sent, raw.count - sent)
                if count <= 0 { return }
                sent += count
            }
        }
    }
}
