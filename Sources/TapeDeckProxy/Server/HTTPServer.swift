import Foundation
package import NIOCore
package import NIOHTTP1
import NIOPosix
package import NIOSSL
import TapeDeck

/// One request as the server hands it to a handler: the head and the whole body.
package struct ServerRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: ByteBuffer
}

/// Writes one response to the client; throws ``ClientGone`` once the client has disconnected.
package struct ResponseWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let state: Locked<Bool>  // whether the head was written

    package var headWritten: Bool { state.withLock { $0 } }

    package func head(_ head: HTTPResponseHead) async throws {
        try await write(.head(head))
        state.withLock { $0 = true }
    }

    package func body(_ buffer: ByteBuffer) async throws { try await write(.body(.byteBuffer(buffer))) }

    package func end() async throws { try await write(.end(nil)) }

    /// A whole response: head, body, end.
    package func respond(status: HTTPResponseStatus, headers: NIOHTTP1.HTTPHeaders, body: ByteBuffer) async throws {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        try await head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))
        if body.readableBytes > 0 { try await self.body(body) }
        try await end()
    }

    private func write(_ part: HTTPServerResponsePart) async throws {
        do {
            try await outbound.write(part)
        } catch {
            throw ClientGone(cause: "\(error)")
        }
    }
}

/// What a server does with each request.
package protocol ExchangeHandler: Sendable {
    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws
}

/// An HTTP/1.1 server on SwiftNIO: keep-alive, many concurrent clients, a 400 for a malformed
/// request (on that connection only), and a graceful stop that finishes what is in flight.
package final class HTTPServer: Sendable {
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private struct Tracking {
        var connections: [ObjectIdentifier: (channel: any Channel, busy: Bool, served: Int)] = [:]
        var stopping = false
    }

    /// The address actually bound (with the port the system picked for port 0).
    package let host: String
    package let port: Int
    private let serverChannel: NIOAsyncChannel<Connection, Never>
    private let tracking = Locked(Tracking())

    private init(host: String, port: Int, serverChannel: NIOAsyncChannel<Connection, Never>) {
        self.host = host
        self.port = port
        self.serverChannel = serverChannel
    }

    /// Binds `host:port` (port 0 picks a free one).
    ///
    /// - Parameters:
    ///   - tls: serve HTTPS with this context (the tests' stand-in for a TLS upstream).
    /// - Throws: ``ProxyError`` with kind `.portInUse`, naming the address, when it is taken.
    package static func bind(host: String, port: Int, tls: NIOSSLContext? = nil,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> HTTPServer {
        let channel: NIOAsyncChannel<Connection, Never>
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ProxyError(.portInUse, "port \(port) on \(host) is already in use; choose another with --port (--port 0 picks a free one)")
        } catch {
            throw ProxyError(.portInUse, "cannot listen on \(host):\(port): \(UpstreamClient.describe(error))")
        }
        let bound = channel.channel.localAddress?.port ?? port
        return HTTPServer(host: host, port: bound, serverChannel: channel)
    }

    /// Serves connections with `handler` until ``stop()``; returns once every connection is done.
    package func run(_ handler: some ExchangeHandler) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await self.serve(connection, with: handler) }
                }
            }
        }
    }

    /// Stops accepting, closes idle keep-alive connections, lets busy ones finish their exchange.
    /// A connection accepted but with no request yet gets a second for its request to arrive.
    package func stop() {
        let (idle, fresh) = tracking.withLock { tracking -> ([any Channel], [(ObjectIdentifier, any Channel)]) in
            tracking.stopping = true
            let waiting = tracking.connections.filter { !$0.value.busy }
            return (waiting.values.filter { $0.served > 0 }.map(\.channel), waiting.filter { $0.value.served == 0 }.map { ($0.key, $0.value.channel) })
        }
        serverChannel.channel.close(promise: nil)
        for channel in idle { channel.close(promise: nil) }
        for (id, channel) in fresh {
            channel.eventLoop.scheduleTask(in: .seconds(1)) { [tracking] in
                if tracking.withLock({ $0.connections[id]?.busy == false }) { channel.close(promise: nil) }
            }
        }
    }

    private func serve(_ connection: Connection, with handler: some ExchangeHandler) async {
        let id = ObjectIdentifier(connection.channel)
        let accepted = tracking.withLock { tracking -> Bool in
            guard !tracking.stopping else { return false }
            tracking.connections[id] = (connection.channel, false, 0)
            return true
        }
        defer { tracking.withLock { _ = $0.connections.removeValue(forKey: id) } }
        guard accepted else {
            try? await connection.channel.close()
            return
        }
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                    tracking.withLock { $0.connections[id]?.busy = true }
                case .body(var buffer):
                    body.writeBuffer(&buffer)
                case .end:
                    guard let requestHead = head else { continue }
                    let writer = ResponseWriter(outbound: outbound, state: Locked(false))
                    do {
                        try await handler.handle(ServerRequest(head: requestHead, body: body), writer: writer)
                    } catch {
                        // The handler could not answer (the client went away mid-stream): drop the connection.
                        return
                    }
                    let stopping = tracking.withLock { tracking -> Bool in
                        tracking.connections[id]?.busy = false
                        tracking.connections[id]?.served += 1
                        return tracking.stopping
                    }
                    if stopping || !requestHead.isKeepAlive { return }
                    head = nil
                }
            }
        }
    }
}
