package import Foundation
package import NIOCore
package import NIOHTTP1
package import TapeDeck

/// An upstream's answer gathered as it streams through: the head, one growing body (a large
/// answer is held once, not piece by piece) and when each piece arrived. The recording proxy and
/// drift's re-sender both gather answers this way.
package struct ResponseCapture: Sendable {
    package private(set) var status = 0
    package private(set) var headers = TapeDeck.HTTPHeaders()
    package private(set) var body = Data()
    package private(set) var chunks: [ResponseChunk] = []
    private var headArrived = ContinuousClock.now

    package init() {}

    /// The response head arrived (now).
    package mutating func received(status: Int, headers: NIOHTTP1.HTTPHeaders) {
        self.status = status
        self.headers = TapeDeck.HTTPHeaders(nio: headers)
        headArrived = .now
    }

    /// How many body bytes arrived so far.
    package var bodySize: Int { body.count }

    /// A piece of the body arrived (now).
    package mutating func received(_ piece: ByteBuffer) {
        received(piece, milliseconds: ResponseChunk.milliseconds(since: headArrived))
    }

    /// A piece of the body that arrived `milliseconds` after the head.
    package mutating func received(_ piece: ByteBuffer, milliseconds: Int) {
        body.append(contentsOf: piece.readableBytesView)
        chunks.append(ResponseChunk(size: piece.readableBytes, milliseconds: milliseconds))
    }

    /// The answer as a cassette stores it (before redaction), made by the core's one
    /// normalisation (``RecordedResponse/captured(status:headers:body:chunks:)``), and a warning
    /// when the body could not be decoded (it is then stored as it came, marked, and not
    /// scrubbed). The body moves into the response (this capture keeps none), so a large answer
    /// is not held twice.
    package mutating func take(limit: Int = CassetteLimits.defaultMaximumRawBytes) -> (response: RecordedResponse, warning: String?) {
        var taken = Data()
        swap(&taken, &body)
        return RecordedResponse.captured(status: status, headers: headers, body: taken, chunks: chunks, limit: limit)
    }
}
