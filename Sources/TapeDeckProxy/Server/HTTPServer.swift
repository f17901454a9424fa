import Foundation
package import NIOCore
import NIOHTTP1
import NIOPosix
package import NIOSSL
import TapeDeck

/// What a server does with each request.
package protocol ExchangeHandler: Sendable {
    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws
}

/// An HTTP/1.1 server on SwiftNIO: keep-alive, many concurrent clients, a 400 for a malformed
/// request (on that connection only), and a graceful stop that finishes what is in flight.
package final class HTTPServer: Sendable {
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private typealias Table = ConnectionTable<ObjectIdentifier, any Channel>

    /// The address actually bound (with the port the system picked for port 0).
    package let host: String
    package let port: Int
    /// The bounds kept with clients.
    package let limits: ServerLimits
    private let serverChannel: NIOAsyncChannel<Connection, Never>
    private let table: Locked<Table>

    private init(host: String, port: Int, limits: ServerLimits, serverChannel: NIOAsyncChannel<Connection, Never>, table: Locked<Table>) {
        self.host = host
        self.port = port
        self.limits = limits
        self.serverChannel = serverChannel
        self.table = table
    }

    /// Binds `host:port` (port 0 picks a free one).
    ///
    /// - Parameters:
    ///   - tls: serve HTTPS with this context (the tests' stand-in for a TLS upstream).
    ///   - limits: the request body limit and the client idle timeout.
    /// - Throws: ``ProxyError`` with kind `.portInUse`, naming the address, when it is taken, or
    ///   `.cannotListen` with the reason.
    package static func bind(host: String, port: Int, tls: NIOSSLContext? = nil, limits: ServerLimits = .standard,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> HTTPServer {
        let channel: NIOAsyncChannel<Connection, Never>
        let table = Locked(Table())
        let idle = TimeAmount.nanoseconds(limits.clientIdleTimeout.wholeNanoseconds)
        let isAnswering: @Sendable (ObjectIdentifier) -> Bool = { id in table.withLock { $0.isAnswering(id) } }
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                        try channel.pipeline.syncOperations.addHandler(IdleCloser(isBusy: isAnswering))
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ProxyError(.portInUse, "port \(port) on \(host) is already in use; choose another with --port (--port 0 picks a free one)")
        } catch {
            throw ProxyError(.cannotListen, "cannot listen on \(host):\(port): \(UpstreamClient.describe(error))")
        }
        let bound = channel.channel.localAddress?.port ?? port
        return HTTPServer(host: host, port: bound, limits: limits, serverChannel: channel, table: table)
    }

    /// How many connections have been accepted so far (a kept-alive client makes one).
    package var connectionsAccepted: Int { table.withLock { $0.acceptedCount } }

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
        let stopping = table.withLock { $0.stop() }
        serverChannel.channel.close(promise: nil)
        for channel in stopping.closeNow { channel.close(promise: nil) }
        for (id, channel) in stopping.closeAfterGrace {
            channel.eventLoop.scheduleTask(in: .seconds(1)) { [table] in
                if table.withLock({ $0.closesAfterGrace(id) }) { channel.close(promise: nil) }
            }
        }
    }

    /// A `413` naming the limit; the connection is closed after it (the rest of the body is not read).
    private static func refuseTooLarge(_ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, version: HTTPVersion, limit: Int) async throws {
        let body = ByteBuffer(bytes: ErrorBody.json(message: "tapedeck: the request body is larger than \(limit) bytes, the limit (raise it with --max-request-body)",
                                                    type: "tapedeck_request_too_large"))
        var headers = NIOHTTP1.HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        try await outbound.write(contentsOf: [.head(HTTPResponseHead(version: version, status: .payloadTooLarge, headers: headers)), .body(.byteBuffer(body)), .end(nil)])
    }

    private func serve(_ connection: Connection, with handler: some ExchangeHandler) async {
        let id = ObjectIdentifier(connection.channel)
        let accepted = table.withLock { $0.accept(id, channel: connection.channel) }
        defer { table.withLock { $0.closed(id) } }
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
                    table.withLock { $0.requestStarted(id) }
                    if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init), length > limits.maximumRequestBody {
                        try await Self.refuseTooLarge(outbound, version: requestHead.version, limit: limits.maximumRequestBody)
                        return
                    }
                    // The client waits for this before sending the body (curl: up to a second).
                    if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.equalsIgnoringASCIICase("100-continue") }) {
                        try await outbound.write(.head(HTTPResponseHead(version: requestHead.version, status: .continue)))
                    }
                case .body(var buffer):
                    guard body.readableBytes + buffer.readableBytes <= limits.maximumRequestBody else {
                        try await Self.refuseTooLarge(outbound, version: head?.version ?? .http1_1, limit: limits.maximumRequestBody)
                        return
                    }
                    body.writeBuffer(&buffer)
                case .end:
                    guard let requestHead = head else { continue }
                    let writer = ResponseWriter(outbound: outbound, version: requestHead.version)
                    table.withLock { $0.answerStarted(id) }
                    do {
                        try await handler.handle(ServerRequest(head: requestHead, body: body), writer: writer)
                        await writer.flush()
                    } catch {
                        // The handler could not answer (the client went away mid-stream, a fault
                        // drops the connection): what it gave goes out, then the connection closes.
                        await writer.flush()
                        return
                    }
                    let keepAlive = requestHead.isKeepAlive && !writer.closeAfter
                    guard table.withLock({ $0.answered(id, keepAlive: keepAlive) }) else { return }
                    head = nil
                }
            }
        }
    }
}
