import Foundation
package import Logging
import NIOCore
import NIOHTTP1
package import TapeDeck

/// The recording proxy: forwards each request to the upstream, streams the answer back as it
/// arrives, and appends the redacted exchange to the cassette as soon as it is finished.
package final class RecordingProxy: ExchangeHandler {
    /// What the proxy has recorded so far.
    package struct Summary: Sendable {
        package var interactions = 0
        package var credentialKinds: Set<CredentialKind> = []
        package var failures = 0
    }

    private let upstream: UpstreamTarget
    private let recordAs: String?
    private let client: UpstreamClient
    private let appender: CassetteAppender
    private let redactor: Locked<Redactor>
    private let rules: RedactionRules
    private let order = ArrivalOrder()
    private let summaryState = Locked(Summary())
    private let logger: Logger

    package init(upstream: UpstreamTarget, recordAs: String?, client: UpstreamClient, appender: CassetteAppender,
                 rules: RedactionRules, logger: Logger) {
        self.upstream = upstream
        self.recordAs = recordAs
        self.client = client
        self.appender = appender
        self.redactor = Locked(Redactor(rules: rules))
        self.rules = rules
        self.logger = logger
    }

    package var summary: Summary { summaryState.withLock { $0 } }

    package func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let started = ContinuousClock.now
        let method = request.head.method.rawValue
        let target = request.head.uri
        // What the log shows of the target: credential parameters and known values removed.
        let shown = redactor.withLock { redactor in
            var copy = redactor
            return copy.redact(RecordedRequest(method: method, url: target)).url
        }
        // A place in line among identical requests, taken on arrival and ended on every path.
        var matching = MatchConfiguration.standard
        matching.redaction = rules
        var keyRedactor = Redactor(rules: rules)
        let recordedRequest = keyRedactor.redact(ExchangeRecording.recordedRequest(
            method: method, requestTarget: target, requestHeaders: request.head.headers, requestBody: request.body, upstream: upstream, recordAs: recordAs))
        let ticket = order.ticket(key: Playback.key(recordedRequest, matching))
        var stored: Interaction?
        defer { finish(ticket, stored, method: method, shown: shown, started: started) }

        var head = HTTPRequestHead(version: .http1_1, method: request.head.method, uri: upstream.path(for: target))
        head.headers = ExchangeRecording.forwardedHeaders(request.head.headers, to: upstream, bodyLength: request.body.readableBytes)

        var responseHead: HTTPResponseHead?
        var headArrived = ContinuousClock.now
        var pieces: [(bytes: ByteBuffer, milliseconds: Int)] = []
        do {
            try await client.send(head, body: request.body, to: upstream) { part in
                switch part {
                case .head(let upstreamHead):
                    responseHead = upstreamHead
                    headArrived = .now
                    var clientHead = HTTPResponseHead(version: .http1_1, status: upstreamHead.status,
                                                      headers: ExchangeRecording.clientHeaders(upstreamHead.headers))
                    if !request.head.isKeepAlive { clientHead.headers.replaceOrAdd(name: "Connection", value: "close") }
                    try await writer.head(clientHead)
                case .body(let buffer):
                    pieces.append((buffer, ResponseChunk.milliseconds(since: headArrived)))
                    try await writer.body(buffer)
                }
            }
            try await writer.end()
        } catch let gone as ClientGone {
            summaryState.withLock { $0.failures += 1 }
            logger.warning("\(method) \(shown): the client disconnected before the answer was complete; not recorded")
            throw gone
        } catch let error as ProxyError {
            summaryState.withLock { $0.failures += 1 }
            logger.error("\(method) \(shown): \(error.message); not recorded")
            guard !writer.headWritten else { throw error }  // mid-body: all we can do is cut the connection
            try await writer.respond(status: error.kind == .upstreamTimeout ? .gatewayTimeout : .badGateway, headers: ["Content-Type": "application/json"],
                                     body: ByteBuffer(bytes: Self.errorBody(error)))
            return
        }
        guard let responseHead else { return }

        let exchange = ExchangeRecording(method: method, requestTarget: target, requestHeaders: request.head.headers, requestBody: request.body,
                                         status: Int(responseHead.status.code), responseHeaders: responseHead.headers, pieces: pieces)
        let (captured, undecodable) = exchange.interaction(upstream: upstream, recordAs: recordAs)
        if let undecodable { logger.warning("\(method) \(shown): WARNING: \(undecodable)") }
        stored = redactor.withLock { $0.redact(captured) }
    }

    /// Appends `stored` (and whatever identical requests that arrived later were waiting for it)
    /// to the cassette, in arrival order; `nil` when the exchange is not recorded.
    private func finish(_ ticket: ArrivalOrder.Ticket, _ stored: Interaction?, method: String, shown: String, started: ContinuousClock.Instant) {
        order.finish(ticket, with: stored) { interaction in
            do {
                try appender.append(interaction)
            } catch {
                summaryState.withLock { $0.failures += 1 }
                logger.error("\(interaction.request.method) \(interaction.request.url): answered, but could not be recorded: \(error)")
                return
            }
            let kinds = interaction.request.redacted + interaction.response.redacted
            summaryState.withLock { summary in
                summary.interactions += 1
                summary.credentialKinds.formUnion(kinds)
            }
        }
        guard let stored else { return }
        let kinds = stored.request.redacted + stored.response.redacted
        let credentials = kinds.isEmpty ? "no credentials" : kinds.map(\.rawValue).joined(separator: ",")
        logger.info("\(method) \(shown) \(stored.response.status) \(stored.response.body.count)B \(ResponseChunk.milliseconds(since: started))ms \(credentials)")
    }

    /// The JSON a client gets instead of an answer the upstream could not give (OpenAI's shape).
    static func errorBody(_ error: ProxyError) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.raw(#"{"error":{"message":"#)
        json.string("tapedeck: " + error.message)
        json.raw(#","type":"tapedeck_upstream_error","code":"#)
        json.string(error.kind == .upstreamTLS ? "upstream_tls" : error.kind == .upstreamTimeout ? "upstream_timeout" : "upstream_unreachable")
        json.raw("}}")
        return json.bytes
    }

}
