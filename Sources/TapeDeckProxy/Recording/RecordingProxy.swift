import Foundation
package import Logging
import NIOCore
import NIOHTTP1
package import TapeDeck

/// The recording proxy: forwards each request to the upstream, streams the answer back as it
/// arrives, and hands the finished exchange to the core's ``CassetteRecorder``, which redacts it
/// and appends it to the cassette in arrival order (off the cooperative pool).
package final class RecordingProxy: ExchangeHandler {
    private let upstream: UpstreamTarget
    private let recordAs: String?
    private let client: UpstreamClient
    private let recorder: CassetteRecorder
    private let failures = Locked(0)
    private let logger: Logger
    private let storing: @Sendable (Int) -> Bool

    /// - Parameter storing: whether an answer of a status is recorded (a cassette server leaves
    ///   out 5xx and 429 unless asked, and records nothing live); one not recorded still answers.
    package init(upstream: UpstreamTarget, recordAs: String?, client: UpstreamClient, recorder: CassetteRecorder, logger: Logger,
                 storing: @escaping @Sendable (Int) -> Bool = { _ in true }) {
        self.storing = storing
        self.upstream = upstream
        self.recordAs = recordAs
        self.client = client
        self.recorder = recorder
        self.logger = logger
    }

    /// What the proxy has recorded so far: the recorder's summary, with the exchanges that failed
    /// before reaching it (the upstream failed, the client left) counted as failures too.
    package var summary: CassetteRecorder.Summary {
        var summary = recorder.summary
        summary.failures += failures.withLock { $0 }
        return summary
    }

    /// What became of one forwarded exchange.
    package enum Forwarded: Sendable {
        /// Answered and recorded: the interaction as stored (redacted).
        case recorded(Interaction)
        /// Not recorded, and why (the upstream failed, or the cassette refused it).
        case notRecorded(String)
        /// Answered, and not recorded on purpose (`storing` refused its status).
        case passedThrough(status: Int)
    }

    package func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        _ = try await forward(request, received: request.received(url: request.head.uri), writer: writer)
    }

    /// Forwards `request`, streams the answer to `writer` and records the exchange.
    ///
    /// - Parameter received: `request` in the core's terms (``ServerRequest/received(url:)``), as
    ///   the caller made it for its own use (the replay server, to match it first): the recorded
    ///   request is derived from it, not converted again.
    ///
    /// - Throws: ``ClientGone`` when the client left, or the upstream's error when it failed after
    ///   the answer had started (the connection can only be cut then).
    package func forward(_ request: ServerRequest, received: RecordedRequest, writer: ResponseWriter) async throws -> Forwarded {
        let started = ContinuousClock.now
        let method = request.head.method.rawValue
        var exchange = ExchangeRecording(received: received, requestTarget: request.head.uri, upstream: upstream, recordAs: recordAs)
        // What the log shows of the target: credential parameters and known values removed.
        let shown = recorder.shownURL(RecordedRequest(method: method, url: request.head.uri))
        // A place in line among identical requests, taken on arrival and ended on every path.
        let ticket = recorder.arrived(exchange.request)
        var completed = false
        defer { if !completed { recorder.abandon(ticket) } }

        do {
            try await client.send(request.head.method, upstream.path(for: request.head.uri), headers: ExchangeRecording.forwardedHeaders(request.head.headers),
                                  body: request.body, to: upstream) { part in
                switch part {
                case .head(let status, let headers):
                    exchange.response.received(status: Int(status.code), headers: headers)
                    var clientHead = HTTPResponseHead(version: .http1_1, status: status, headers: ExchangeRecording.clientHeaders(headers))
                    if !request.head.isKeepAlive { clientHead.headers.replaceOrAdd(name: "Connection", value: "close") }
                    try await writer.head(clientHead)
                case .body(let buffer):
                    exchange.response.received(buffer)
                    try await writer.body(buffer)
                }
            }
            try await writer.end()
        } catch let gone as ClientGone {
            failures.withLock { $0 += 1 }
            logger.warning("\(method) \(shown): the client disconnected before the answer was complete; not recorded")
            throw gone
        } catch let error as ProxyError {
            failures.withLock { $0 += 1 }
            logger.error("\(method) \(shown): \(error.message); not recorded")
            guard !writer.headWritten else { throw error }  // mid-body: all we can do is cut the connection
            try await writer.respond(status: error.kind == .upstreamTimeout ? .gatewayTimeout : .badGateway, headers: ["Content-Type": "application/json"],
                                     body: ByteBuffer(bytes: Self.errorBody(error)))
            return .notRecorded("\(method) \(shown): \(error.message)")
        }

        let (captured, undecodable) = exchange.takeInteraction()
        if let undecodable { logger.warning("\(method) \(shown): WARNING: \(undecodable)") }
        completed = true
        if !storing(captured.response.status) {
            let status = captured.response.status
            _ = await recorder.finish(ticket, with: nil)  // its place in line ends; nothing is written
            logger.info("\(method) \(shown) \(status) passed through, not recorded")
            return .passedThrough(status: status)
        }
        switch await recorder.finish(ticket, with: captured) {
        case .recorded(let stored):
            let kinds = stored.request.redacted + stored.response.redacted
            let credentials = kinds.isEmpty ? "no credentials" : kinds.map(\.rawValue).joined(separator: ",")
            logger.info("\(method) \(shown) \(stored.response.status) \(stored.response.body.count)B \(ResponseChunk.milliseconds(since: started))ms \(credentials)")
            return .recorded(stored)
        case .failed(let stored, let error):
            Self.reportUnrecorded(to: logger)(stored, error)
            return .notRecorded("\(method) \(shown): answered, but could not be recorded: \(error)")
        case .dropped:
            logger.warning("\(method) \(shown): answered after the recording ended; not recorded")
            return .notRecorded("\(method) \(shown): answered after the recording ended; not recorded")
        }
    }

    /// How an answered exchange the cassette refused is reported: for the proxy's own finishes,
    /// and as the recorder's `writeFailed` for exchanges written after being held in line.
    package static func reportUnrecorded(to logger: Logger) -> @Sendable (Interaction, TapeDeckError) -> Void {
        { interaction, error in
            logger.error("\(interaction.request.method) \(interaction.request.url): answered, but could not be recorded: \(error)")
        }
    }

    /// The JSON a client gets instead of an answer the upstream could not give (OpenAI's shape).
    static func errorBody(_ error: ProxyError) -> [UInt8] {
        ErrorBody.json(message: "tapedeck: " + error.message, type: "tapedeck_upstream_error",
                       code: error.kind == .upstreamTLS ? "upstream_tls" : error.kind == .upstreamTimeout ? "upstream_timeout" : "upstream_unreachable")
    }
}
