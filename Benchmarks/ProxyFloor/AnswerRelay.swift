import Foundation
import NIOCore
import NIOHTTP1
import TapeDeck
import TapeDeckProxy  // the one conversion of NIO's header fields into the core's

/// The upstream connection's end of a ``Forwarder``: writes each part of an answer to the client
/// connection as it arrives (flushing at the end), and with a recorder gathers the answer and
/// submits the exchange once it has ended. Runs on the client connection's event loop.
final class AnswerRelay: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let client: any Channel
    private let recorder: CassetteRecorder?
    /// Requests sent and not yet answered, oldest first (for the recorder).
    private var requests: [RecordedRequest] = []
    private var answer: RecordedResponse?

    init(client: any Channel, recorder: CassetteRecorder?) {
        self.client = client
        self.recorder = recorder
    }

    /// Notes a request whose answer will come next on this connection.
    func expect(_ request: RecordedRequest) {
        requests.append(request)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if recorder != nil {
                answer = RecordedResponse(status: Int(head.status.code), headers: TapeDeck.HTTPHeaders(nio: head.headers))
            }
            client.write(HTTPServerResponsePart.head(head), promise: nil)
        case .body(let buffer):
            answer?.body.append(contentsOf: buffer.readableBytesView)
            client.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
        case .end(let trailers):
            client.writeAndFlush(HTTPServerResponsePart.end(trailers), promise: nil)
            if let recorder, let answer, !requests.isEmpty {
                recorder.submit(Interaction(request: requests.removeFirst(), response: answer))
            }
            answer = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
