import AsyncHTTPClient
import Foundation
package import NIOCore
package import NIOHTTP1
import NIOSSL
import NIOPosix
import TapeDeck

/// Sends requests to upstreams through AsyncHTTPClient: a pool of kept-alive connections per
/// upstream, HTTP/2 where an HTTPS upstream offers it, TLS with the system's trust store or a
/// private CA, and the answer handed to the caller piece by piece as it arrives (SSE streams
/// through). Redirects are passed back to the client, never followed; content is never decoded.
package final class UpstreamClient: Sendable {
    /// One piece of the upstream's answer.
    package enum Part: Sendable {
        /// The answer's status and headers, as the upstream sent them (HTTP/1.1 or HTTP/2 alike:
        /// the version is the client connection's business, not the upstream's).
        case head(status: HTTPResponseStatus, headers: NIOHTTP1.HTTPHeaders)
        /// A piece of the body, as it arrived.
        case body(ByteBuffer)
    }

    private let client: HTTPClient
    private let connectTimeout: TimeAmount
    private let readTimeout: TimeAmount

    /// - Parameters:
    ///   - caCertificateFile: a PEM file of CA certificates to trust instead of the system's.
    ///   - connectTimeout: how long a connection may take.
    ///   - readTimeout: how long the upstream may send nothing (long by default: an LLM may think
    ///     for minutes before a stream's first token).
    ///   - connectionsPerUpstream: how many HTTP/1.1 connections to one upstream are kept open
    ///     at most (HTTP/2 multiplexes on one).
    package init(group: any EventLoopGroup, caCertificateFile: String? = nil, connectTimeout: TimeAmount = .seconds(10),
                 readTimeout: TimeAmount = .seconds(300), connectionsPerUpstream: Int = 256) throws(ProxyError) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caCertificateFile {
            guard FileManager.default.isReadableFile(atPath: caCertificateFile) else {
                throw ProxyError(.certificate, "--cacert \(caCertificateFile): no such readable file")
            }
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertificateFile))
            } catch {
                throw ProxyError(.certificate, "--cacert \(caCertificateFile): not a PEM certificate file (\(error))")
            }
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: connectTimeout, read: readTimeout),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerUpstream),
            decompression: .disabled)
        // A recorder is driven by a person at a terminal: an upstream that refuses connections
        // is reported at once, not after retrying for the whole connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    /// Closes every pooled connection. Call once, when no request is in flight any more.
    package func shutdown() async {
        try? await client.shutdown()
    }

    deinit {
        // A client released without ``shutdown()`` (a test that failed early) still closes its
        // connections; AsyncHTTPClient keeps itself alive until that is done.
        client.shutdown(queue: .global()) { _ in }
    }

    /// Sends `method` `requestTarget` (path and query) with `headers` and `body` to `target`;
    /// calls `receive` with each part of the response.
    ///
    /// `headers` go out as given: the caller passes the forwarded set, filtered once
    /// (``ExchangeRecording/forwardedHeaders(_:)``); AsyncHTTPClient adds `Host` and the body's
    /// length.
    ///
    /// - Throws: ``ProxyError`` naming the upstream and the cause when the connection, TLS or the
    ///   HTTP exchange fails or times out; any error `receive` throws (e.g. the client went away);
    ///   `CancellationError` when the task is cancelled.
    package func send(_ method: HTTPMethod, _ requestTarget: String, headers: NIOHTTP1.HTTPHeaders, body: ByteBuffer?, to target: UpstreamTarget,
                      deadline: NIODeadline = .now() + .hours(24 * 7), receive: (Part) async throws -> Void) async throws {
        var request = HTTPClientRequest(url: "\(target.scheme)://\(target.authority)\(requestTarget)")
        request.method = method
        request.headers = headers
        if let body, body.readableBytes > 0 { request.body = .bytes(body) }

        var sawHead = false
        do {
            let response = try await client.execute(request, deadline: deadline)
            sawHead = true
            do { try await receive(.head(status: response.status, headers: response.headers)) } catch { throw Receiving(error: error) }
            for try await buffer in response.body {
                do { try await receive(.body(buffer)) } catch { throw Receiving(error: error) }
            }
        } catch let receiving as Receiving {
            throw receiving.error
        } catch let error as HTTPClientError {
            throw translate(error, target: target, sawHead: sawHead)
        } catch let error as NIOSSLError {
            throw ProxyError(.upstreamTLS, "TLS with upstream \(target.baseURL) failed: \(Self.describe(error))")
        } catch let error as BoringSSLError {
            throw ProxyError(.upstreamTLS, "TLS with upstream \(target.baseURL) failed: \(error)")
        } catch let error as NIOSSLExtraError {
            throw ProxyError(.upstreamTLS, "TLS with upstream \(target.baseURL) failed: \(error)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            guard sawHead else { throw ProxyError(.upstreamUnreachable, "cannot reach upstream \(target.baseURL): \(Self.describe(error))") }
            throw ProxyError(.upstreamProtocol, "upstream \(target.baseURL) failed in the middle of its answer: \(Self.describe(error))")
        }
    }

    private func translate(_ error: HTTPClientError, target: UpstreamTarget, sawHead: Bool) -> any Error {
        switch error {
        case .connectTimeout, .tlsHandshakeTimeout:
            return ProxyError(.upstreamTimeout, "cannot reach upstream \(target.baseURL): no connection within \(Self.seconds(connectTimeout)) s")
        case .readTimeout:
            return ProxyError(.upstreamTimeout, "upstream \(target.baseURL) sent nothing for \(Self.seconds(readTimeout)) s (--upstream-timeout)\(sawHead ? " in the middle of its answer" : "")")
        case .cancelled, .deadlineExceeded:
            return CancellationError()
        case .remoteConnectionClosed:
            return ProxyError(sawHead ? .upstreamProtocol : .upstreamUnreachable,
                              "upstream \(target.baseURL) closed the connection before the response was complete")
        default:
            return ProxyError(sawHead ? .upstreamProtocol : .upstreamUnreachable, "upstream \(target.baseURL) failed: \(error)")
        }
    }

    private static func seconds(_ amount: TimeAmount) -> String { String(format: "%g", Double(amount.nanoseconds) / 1e9) }

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

/// An error the caller's `receive` threw, passed on as it is.
private struct Receiving: Error {
    var error: any Error
}

/// Thrown by a response writer when the client has disconnected, so the upstream is dropped.
package struct ClientGone: Error, Sendable {
    package var cause: String
}
