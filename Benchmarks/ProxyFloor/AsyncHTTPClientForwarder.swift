import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import TapeDeck
import TapeDeckProxy

/// Serves one client connection through AsyncHTTPClient's delegate API: each request, once
/// received whole, is executed with the delegate and the upstream connection on the client
/// connection's event loop, and ``Relay`` writes each part of the answer back there. Nothing is
/// recorded: this is what AsyncHTTPClient costs beside NIO's own codec.
final class AsyncHTTPClientForwarder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    private let client: HTTPClient
    private let upstream: Upstream
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?

    init(client: HTTPClient, upstream: Upstream) {
        self.client = client
        self.upstream = upstream
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            body = nil
        case .body(var buffer):
            if body == nil { body = buffer } else { body?.writeBuffer(&buffer) }
        case .end:
            guard let head else { return }
            do {
                var request = try HTTPClient.Request(url: "http://\(upstream.authority)\(head.uri)", method: head.method)
                // The proxy's one rule for what is forwarded; AsyncHTTPClient adds Host and the length.
                request.headers = ExchangeRecording.forwardedHeaders(head.headers)
                if let body { request.body = .byteBuffer(body) }
                _ = client.execute(request: request, delegate: Relay(client: context.channel),
                                   eventLoop: .delegateAndChannel(on: context.eventLoop))
            } catch {
                context.close(promise: nil)
            }
        }
    }

    /// Writes an answer's parts to the client connection as AsyncHTTPClient delivers them, on
    /// that connection's event loop (the delegate protocol requires `Sendable`; every member is
    /// used on that loop only).
    final class Relay: HTTPClientResponseDelegate, @unchecked Sendable {
        typealias Response = Void
        private let client: any Channel

        init(client: any Channel) { self.client = client }

        func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
            client.write(HTTPServerResponsePart.head(head), promise: nil)
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
            client.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didFinishRequest(task: HTTPClient.Task<Void>) throws {
            client.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        }

        func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
            client.close(promise: nil)
        }
    }
}
