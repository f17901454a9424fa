import NIOCore

/// Closes a client connection on a read-idle event (from an `IdleStateHandler`) unless the
/// connection is busy answering a request: a slow or silent client cannot hold a connection.
final class IdleCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    private let isBusy: @Sendable (ObjectIdentifier) -> Bool

    init(isBusy: @escaping @Sendable (ObjectIdentifier) -> Bool) { self.isBusy = isBusy }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !isBusy(ObjectIdentifier(context.channel)) {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
