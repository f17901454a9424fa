import Foundation
package import NIOCore
package import NIOHTTP1
import TapeDeck

/// One request as the server hands it to a handler: the head and the whole body.
package struct ServerRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: ByteBuffer
}

/// Writes one response to the client; throws ``ClientGone`` once the client has disconnected.
package struct ResponseWriter: Sendable {
    struct State {
        var headWritten = false
        /// The head said `Connection: close`, or has no length for an HTTP/1.0 client (whose body
        /// then ends with the connection).
        var closeAfter = false
    }

    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let state: Locked<State>
    /// The HTTP version of the request being answered: the response speaks it too.
    let version: HTTPVersion

    init(outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, version: HTTPVersion) {
        self.outbound = outbound
        self.state = Locked(State())
        self.version = version
    }

    package var headWritten: Bool { state.withLock { $0.headWritten } }
    var closeAfter: Bool { state.withLock { $0.closeAfter } }

    /// Writes the response head, in the request's HTTP version: an HTTP/1.0 client never gets
    /// chunked encoding; a body of unknown length then ends when the connection closes.
    package func head(_ head: HTTPResponseHead) async throws {
        var head = head
        head.version = version
        let close = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            || ((version.major, version.minor) < (1, 1) && !head.headers.contains(name: "content-length"))
        if close { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        try await write(.head(head))
        state.withLock { state in
            state.headWritten = true
            state.closeAfter = close
        }
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
