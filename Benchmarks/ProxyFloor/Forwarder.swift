import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import TapeDeck
import TapeDeckProxy  // the one conversion of NIO's header fields into the core's

/// The upstream the floor forwards to: plain HTTP on 127.0.0.1.
struct Upstream: Sendable {
    let port: Int
    var authority: String { "127.0.0.1:\(port)" }
}

/// Serves one client connection with NIO alone: the first request opens one upstream connection
/// on the client connection's event loop, every request goes over it, and ``AnswerRelay`` writes
/// each part of the answer back as it arrives. The server pipeline hands over one request at a
/// time (it holds a pipelined one until the answer's end is written). With a recorder, each
/// exchange is gathered and submitted to it once the answer has ended.
final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    private let upstream: Upstream
    private let recorder: CassetteRecorder?
    private var connection: (any Channel)?
    private var relay: AnswerRelay?
    /// Parts that arrived while the upstream connection was being opened.
    private var waiting: [HTTPClientRequestPart] = []
    /// The request being received, for the recorder.
    private var request: RecordedRequest?

    init(upstream: Upstream, recorder: CassetteRecorder?) {
        self.upstream = upstream
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part: HTTPClientRequestPart
        switch unwrapInboundIn(data) {
        case .head(var head):
            head.headers.replaceOrAdd(name: "Host", value: upstream.authority)
            if recorder != nil {
                request = RecordedRequest(method: head.method.rawValue, url: "http://\(upstream.authority)\(head.uri)",
                                          headers: TapeDeck.HTTPHeaders(nio: head.headers))
            }
            part = .head(head)
        case .body(let buffer):
            if var received = request {
                received.body = (received.body ?? Data()) + Data(buffer.readableBytesView)
                request = received
            }
            part = .body(.byteBuffer(buffer))
        case .end(let trailers):
            if let request { relayFor(context).expect(request) }
            request = nil
            part = .end(trailers)
        }
        send(part, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func relayFor(_ context: ChannelHandlerContext) -> AnswerRelay {
        if let relay { return relay }
        let made = AnswerRelay(client: context.channel, recorder: recorder)
        relay = made
        return made
    }

    private func send(_ part: HTTPClientRequestPart, context: ChannelHandlerContext) {
        if let connection {
            if case .end = part { connection.writeAndFlush(part, promise: nil) } else { connection.write(part, promise: nil) }
            return
        }
        waiting.append(part)
        guard waiting.count == 1 else { return }  // already connecting
        let relay = NIOLoopBound(relayFor(context), eventLoop: context.eventLoop)
        let client = context.channel
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(relay.value)
                }
            }
            .connect(host: "127.0.0.1", port: upstream.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.connection = channel
                    for part in self.waiting { channel.write(part, promise: nil) }
                    channel.flush()
                    self.waiting = []
                case .failure:
                    client.close(promise: nil)
                }
            }
    }
}
