import Foundation
package import NIOCore
package import NIOHTTP1
import NIOPosix
import NIOSSL

/// Sends one request to the upstream over a fresh connection (HTTPS through swift-nio-ssl with
/// the system's trust store, or a private CA) and hands the response to the caller part by
/// part as it arrives, so bodies stream through.
package final class UpstreamClient: Sendable {
    /// One piece of the upstream's answer.
    package enum Part: Sendable {
        case head(HTTPResponseHead)
        case body(ByteBuffer)
    }

    private let group: any EventLoopGroup
    private let tlsContext: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let readTimeout: TimeAmount

    /// - Parameters:
    ///   - caCertificateFile: a PEM file of CA certificates to trust instead of the system's.
    ///   - connectTimeout: how long a connection may take.
    ///   - readTimeout: how long the upstream may send nothing (long by default: an LLM may think
    ///     for minutes before a stream's first token).
    package init(group: any EventLoopGroup, caCertificateFile: String? = nil, connectTimeout: TimeAmount = .seconds(10),
                 readTimeout: TimeAmount = .seconds(300)) throws(ProxyError) {
        self.group = group
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caCertificateFile {
            guard FileManager.default.isReadableFile(atPath: caCertificateFile) else {
                throw ProxyError(.certificate, "--cacert \(caCertificateFile): no such readable file")
            }
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertificateFile))
            } catch {
                throw ProxyError(.certificate, "--cacert \(caCertificateFile): not a PEM certificate file (\(error))")
            }
        }
        do {
            tlsContext = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ProxyError(.certificate, "cannot set up TLS: \(error)")
        }
    }

    /// Sends `head` (and `body`) to `target`; calls `receive` with each part of the response.
    ///
    /// - Throws: ``ProxyError`` naming the upstream and the cause when the connection, TLS or the
    ///   HTTP exchange fails; any error `receive` throws (e.g. the client went away).
    package func send(_ head: HTTPRequestHead, body: ByteBuffer?, to target: UpstreamTarget,
                      receive: (Part) async throws -> Void) async throws {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            let tls = target.isTLS ? tlsContext : nil
            let serverName = target.host.first?.isNumber == true || target.host.contains(":") ? nil : target.host
            let readTimeout = self.readTimeout
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: readTimeout))
                        try channel.pipeline.syncOperations.addHandler(ReadTimeoutRaiser())
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as ChannelError {
            guard case .connectTimeout = error else {
                throw ProxyError(.upstreamUnreachable, "cannot reach upstream \(target.baseURL): \(Self.describe(error))")
            }
            throw ProxyError(.upstreamTimeout, "cannot reach upstream \(target.baseURL): no connection within \(connectTimeout.nanoseconds / 1_000_000_000) s")
        } catch {
            throw ProxyError(.upstreamUnreachable, "cannot reach upstream \(target.baseURL): \(Self.describe(error))")
        }
        try await channel.executeThenClose { inbound, outbound in
            var sawHead = false
            do {
                // The whole request in one write: a server may answer (and close) as soon as it
                // has the head, before a separate write of the end could reach it.
                var parts: [HTTPClientRequestPart] = [.head(head)]
                if let body, body.readableBytes > 0 { parts.append(.body(.byteBuffer(body))) }
                parts.append(.end(nil))
                var writeError: (any Error)?
                do {
                    try await outbound.write(contentsOf: parts)
                } catch {
                    // The answer may be complete all the same (read it); a failed TLS handshake
                    // closes the channel too, and then the reason is what the inbound side says.
                    writeError = error
                }
                for try await part in inbound {
                    switch part {
                    case .head(let responseHead):
                        // 1xx answers (100 Continue) come before the real one.
                        if responseHead.status.code < 200 { continue }
                        sawHead = true
                        try await receive(.head(responseHead))
                    case .body(let buffer):
                        try await receive(.body(buffer))
                    case .end:
                        return
                    }
                }
                if let writeError, !sawHead { throw writeError }
                throw ProxyError(.upstreamProtocol, "upstream \(target.baseURL) closed the connection before the response was complete")
            } catch let error as ProxyError {
                throw error
            } catch is UpstreamReadTimeout {
                throw ProxyError(.upstreamTimeout, "upstream \(target.baseURL) sent nothing for \(String(format: "%g", Double(readTimeout.nanoseconds) / 1e9)) s (--upstream-timeout)\(sawHead ? " in the middle of its answer" : "")")
            } catch let error as NIOSSLError {
                throw ProxyError(.upstreamTLS, "TLS with upstream \(target.baseURL) failed: \(Self.describe(error))")
            } catch let error as ClientGone {
                throw error
            } catch {
                throw ProxyError(sawHead ? .upstreamProtocol : .upstreamUnreachable, "upstream \(target.baseURL) failed: \(Self.describe(error))")
            }
        }
    }

    /// A readable cause: the errno name for socket errors, the certificate problem for TLS.
    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return describe(first.error)
        }
        if case .handshakeFailed(let inner) = error as? NIOSSLError { return "handshake failed: \(inner)" }
        if let validation = error as? NIOSSLExtraError { return "\(validation)" }
        if error is ChannelError, case .connectTimeout = error as? ChannelError { return "connection timed out" }
        return "\(error)"
    }
}

/// Raised into the pipeline when the upstream sent nothing for the read timeout.
struct UpstreamReadTimeout: Error {}

/// Turns a read-idle event into an error the response stream throws, and closes the connection.
final class ReadTimeoutRaiser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(UpstreamReadTimeout())
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Thrown by a response writer when the client has disconnected, so the upstream is dropped.
package struct ClientGone: Error, Sendable {
    package var cause: String
}
