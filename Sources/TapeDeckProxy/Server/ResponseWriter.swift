import Foundation
package import NIOCore
package import NIOHTTP1
package import TapeDeck

/// One request as the server hands it to a handler: the head and the whole body.
package struct ServerRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: ByteBuffer

    /// The request in the core's terms, at `url`: the one conversion from SwiftNIO's head
    /// (every header, in order) and body. A handler makes it once per exchange and derives
    /// what else it needs from it (the recording proxy's ``ExchangeRecording``).
    package func received(url: String) -> RecordedRequest {
        RecordedRequest(method: head.method.rawValue, url: url, headers: TapeDeck.HTTPHeaders(nio: head.headers), body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil)
    }
}

/// Writes one response to the client; throws ``ClientGone`` once the client has disconnected.
///
/// Parts are written with as few flushes (and so system calls) as the answer allows: the head of
/// a body of known `Content-Length` waits for the body's first piece (or the end), and the piece
/// that completes that length goes out with the end. A body of unknown length (a stream) gets its
/// head at once, and every piece leaves as it is given. Whatever is held is written by
/// ``flush()``, which the server calls when a handler returns or fails, and a handler calls
/// before it waits.
package struct ResponseWriter: Sendable {
    struct State {
        var headWritten = false
        /// The head said `Connection: close`, or has no length for an HTTP/1.0 client (whose body
        /// then ends with the connection).
        var closeAfter = false
        /// Parts given but not yet written (the head, until the body starts).
        var held: [HTTPServerResponsePart] = []
        /// The body's length from the head's `Content-Length`, when it has one.
        var declaredLength: Int?
        var bodyBytes = 0
        var ended = false
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

    /// Whether the head was given (written, or held for the body's first piece): a failure after
    /// this can only cut the connection.
    package var headWritten: Bool { state.withLock { $0.headWritten } }
    var closeAfter: Bool { state.withLock { $0.closeAfter } }

    /// Gives the response head, in the request's HTTP version: an HTTP/1.0 client never gets
    /// chunked encoding; a body of unknown length then ends when the connection closes.
    package func head(_ head: HTTPResponseHead) async throws {
        var head = head
        head.version = version
        let close = head.headers[canonicalForm: "connection"].contains { $0.equalsIgnoringASCIICase("close") }
            || ((version.major, version.minor) < (1, 1) && !head.headers.contains(name: "content-length"))
        if close { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        let declared = head.headers.first(name: "content-length").flatMap { Int($0) }
        state.withLock { state in
            state.headWritten = true
            state.closeAfter = close
            state.declaredLength = declared
            if declared != nil { state.held.append(.head(head)) }
        }
        // A body of unknown length is a stream: its head goes out at once, as it arrived.
        if declared == nil { try await write([.head(head)]) }
    }

    /// Writes a piece of the body (with the held head, and with the end when it completes the
    /// declared length).
    package func body(_ buffer: ByteBuffer) async throws {
        let parts = state.withLock { state -> [HTTPServerResponsePart] in
            var parts = state.held
            state.held = []
            parts.append(.body(.byteBuffer(buffer)))
            state.bodyBytes += buffer.readableBytes
            if let declared = state.declaredLength, state.bodyBytes == declared, !state.ended {
                parts.append(.end(nil))
                state.ended = true
            }
            return parts
        }
        try await write(parts)
    }

    /// Ends the response (nothing more when the last piece already ended it).
    package func end() async throws {
        let parts = state.withLock { state -> [HTTPServerResponsePart] in
            guard !state.ended else { return state.held }
            state.ended = true
            defer { state.held = [] }
            return state.held + [.end(nil)]
        }
        if !parts.isEmpty { try await write(parts) }
    }

    /// Writes whatever is held (a head with no body yet), so a handler that waits (a recorded
    /// pause) or stops early (an injected drop, a failure) leaves the client what it was given.
    package func flush() async {
        let parts = state.withLock { state in defer { state.held = [] }; return state.held }
        if !parts.isEmpty { try? await write(parts) }
    }

    /// A whole response: head, body, end, in one write.
    package func respond(status: HTTPResponseStatus, headers: NIOHTTP1.HTTPHeaders, body: ByteBuffer) async throws {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        try await head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))
        if body.readableBytes > 0 { try await self.body(body) }
        try await end()
    }

    private func write(_ parts: [HTTPServerResponsePart]) async throws {
        do {
            try await outbound.write(contentsOf: parts)
        } catch {
            throw ClientGone(cause: "\(error)")
        }
    }
}
