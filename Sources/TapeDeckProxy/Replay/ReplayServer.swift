import Foundation
package import Logging
import NIOCore
import NIOHTTP1
package import TapeDeck

/// `tapedeck replay`: serves a cassette over HTTP with the library's matching, so any client in
/// any language replays the same file. Requests arrive at this server's own address, so scheme
/// and host are left out of matching; everything else counts as in the library.
package final class ReplayServer: ExchangeHandler {
    private let playback: Playback
    private let timingScale: Double
    private let logger: Logger

    package init(cassette: Cassette, source: String, timingScale: Double, logger: Logger) {
        var configuration = MatchConfiguration.standard
        configuration.matchers.removeAll { $0.name == "scheme" || $0.name == "host" }
        playback = Playback(cassette: cassette, configuration: configuration, source: source)
        self.timingScale = timingScale
        self.logger = logger
    }

    package var unplayed: Int { playback.unplayed.count }

    package func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        var headers = TapeDeck.HTTPHeaders()
        for (name, value) in request.head.headers { headers.append(name: name, value: value) }
        let host = request.head.headers.first(name: "Host") ?? "localhost"
        let live = RecordedRequest(method: request.head.method.rawValue, url: "http://\(host)\(request.head.uri)", headers: headers,
                                   body: request.body.readableBytes > 0 ? Data(request.body.readableBytesView) : nil)
        let interaction: Interaction
        do {
            interaction = try playback.play(live)
        } catch {
            logger.error("\(request.head.method.rawValue) \(request.head.uri): \(error.description)")
            try await writer.respond(status: .notFound, headers: ["Content-Type": "application/json"],
                                     body: ByteBuffer(bytes: ErrorBody.json(message: error.description, type: "tapedeck_no_match")))
            return
        }
        let response = interaction.response
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status))
        for header in response.headers where header.name.lowercased() != "content-length" {
            head.headers.add(name: header.name, value: header.value)
        }
        if response.chunks == nil { head.headers.add(name: "Content-Length", value: String(response.body.count)) }
        try await writer.head(head)
        var elapsed = 0
        for piece in response.bodyPieces {
            let pause = ResponseChunk.pause(before: piece.milliseconds, after: elapsed, scale: timingScale)
            if pause > .zero { try await Task.sleep(for: pause) }
            elapsed = max(elapsed, piece.milliseconds)
            if !piece.data.isEmpty { try await writer.body(ByteBuffer(bytes: piece.data)) }
        }
        try await writer.end()
        logger.info("\(request.head.method.rawValue) \(request.head.uri) \(response.status) \(response.body.count)B replayed")
    }
}
