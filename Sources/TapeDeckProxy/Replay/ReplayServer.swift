import Foundation
package import Logging
import NIOCore
import NIOHTTP1
package import TapeDeck
package import TapeDeckFaults

/// Serves a cassette over HTTP with the library's matching, so any client in any language
/// replays the same file: `tapedeck replay` and `CassetteServer`. Requests arrive at this
/// server's own address, so scheme and host are left out of matching; everything else counts as
/// in the library. It can inject faults, and record what the cassette does not know.
package final class ReplayServer: ExchangeHandler {
    /// Recording through a real upstream: the misses (record-missing) or everything (record-all).
    package struct Recording: Sendable {
        package var proxy: RecordingProxy
        /// Every request goes to the upstream, not only the misses.
        package var everything: Bool

        package init(proxy: RecordingProxy, everything: Bool) {
            self.proxy = proxy
            self.everything = everything
        }
    }

    /// A request that was not answered as the cassette or the upstream would have.
    package enum Problem: Sendable {
        /// Nothing in the cassette matches (the core's miss report), or its answers are used up.
        case miss(TapeDeckError)
        /// While recording, the upstream failed or the exchange could not be recorded.
        case upstream(String)
    }

    /// Thrown to the server to close a connection on purpose (a `drop-after` fault).
    private struct InjectedDrop: Error {}

    /// The recorded interactions, and which were played.
    package let playback: Playback
    private let timingScale: Double
    private let faults: FaultPlan
    private let keepsRequests: Bool
    private let recording: Recording?
    private let logger: Logger
    private let problemLog = Locked<[Problem]>([])

    /// - Parameters:
    ///   - cassette: what to serve (empty for record-all).
    ///   - source: how messages name the cassette.
    ///   - matching: how requests are matched; scheme and host are always left out.
    ///   - timingScale: 0 for instant streams, else the factor applied to the recorded gaps.
    ///   - faults: faults to inject, in order of precedence.
    ///   - recording: where misses (or all requests) go, if anywhere.
    /// - Parameters:
    ///   - keepsRequests: keep every request for `playback.requests` (a test's `CassetteServer`);
    ///     `tapedeck-cli replay`, which may serve for days and never asks, passes `false`.
    package init(cassette: Cassette, source: String, matching: MatchConfiguration = .standard, timingScale: Double,
                 faults: [FaultRule] = [], recording: Recording? = nil, keepsRequests: Bool = true, logger: Logger) {
        var configuration = matching
        configuration.matchers.removeAll { $0.name == "scheme" || $0.name == "host" }
        playback = Playback(cassette: cassette, configuration: configuration, source: source)
        self.timingScale = timingScale
        self.faults = FaultPlan(faults)
        self.recording = recording
        self.keepsRequests = keepsRequests
        self.logger = logger
    }

    package var unplayed: Int { playback.unplayed.count }

    /// Every request that missed, or failed upstream while recording, so far.
    package var problems: [Problem] { problemLog.withLock { $0 } }

    package func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let method = request.head.method.rawValue, target = request.head.uri
        let live = request.received(url: "http://\(request.head.headers.first(name: "Host") ?? "localhost")\(target)")
        // Every request is noted (for `requests`), faulted or not, redacted once.
        let redacted = playback.arrived(live, keep: keepsRequests)
        let fault = faults.fault(method: method, target: target)
        if let fault {
            logger.info("\(method) \(target): injecting fault \(fault)")
            if let delay = fault.action.delay { try await Task.sleep(for: delay) }
            if let answer = fault.action.answer {
                var headers: TapeDeck.HTTPHeaders = ["Content-Type": "application/json"]
                for header in answer.headers { headers.append(name: header.name, value: header.value) }
                let body = ErrorBody.json(message: "tapedeck: injected fault (\(fault))", type: "tapedeck_injected_fault")
                try await send(status: answer.status, headers: headers, pieces: [(Data(body), 0)], length: body.count, dropAfter: fault.action.dropAfter,
                               method: method, to: writer)
                return
            }
        }
        // Record-all skips the recordings, not the answers made in code.
        let stub = recording?.everything == true ? playback.playStub(redacted) : nil
        if let recording, recording.everything, stub == nil {
            try await record(request, live, through: recording.proxy, writer: writer)
            return
        }
        let interaction: Interaction
        do throws(TapeDeckError) {
            // An answer a fault cuts short stays unplayed: the client's retry gets it whole.
            if let stub { interaction = stub } else { interaction = try playback.play(live, consuming: fault?.action.dropAfter == nil, redacted: redacted) }
        } catch {
            if error.kind == .noMatch, let recording {
                try await record(request, live, through: recording.proxy, writer: writer)
                return
            }
            problemLog.withLock { $0.append(.miss(error)) }
            logger.error("\(method) \(target): \(error.description)")
            try await writer.respond(status: .notFound, headers: ["Content-Type": "application/json"],
                                     body: ByteBuffer(bytes: ErrorBody.json(message: error.description, type: "tapedeck_no_match")))
            return
        }
        let response = interaction.response
        try await send(status: response.status, headers: response.headers, pieces: response.bodyPieces,
                       length: response.chunks == nil ? response.body.count : nil, dropAfter: fault?.action.dropAfter, method: method, to: writer)
        logger.info("\(method) \(target) \(response.status) \(response.body.count)B replayed")
    }

    /// Forwards to the upstream and records; what was recorded joins the playback as played.
    private func record(_ request: ServerRequest, _ live: RecordedRequest, through proxy: RecordingProxy, writer: ResponseWriter) async throws {
        switch try await proxy.forward(request, received: live, writer: writer) {
        case .recorded(let stored): playback.append(stored, played: true)
        case .notRecorded(let reason): problemLog.withLock { $0.append(.upstream(reason)) }
        case .passedThrough: break
        }
    }

    /// Writes an answer piece by piece, with the recorded pauses scaled; with `dropAfter`, closes
    /// the connection after that many body bytes instead of ending the response.
    ///
    /// A 1xx, 204 or 304 answer, or one to `HEAD`, has no body on the wire (RFC 9110 6.4.1), and
    /// the first three no `Content-Length` either: writing one would be read as the start of the
    /// next answer on a kept-alive connection. A drop always leaves the client a response cut
    /// short: the head announces more than is sent (the whole body, or one byte more than the
    /// drop point when that is past the end), or the chunked body never gets its last chunk.
    private func send(status: Int, headers: TapeDeck.HTTPHeaders, pieces: [(data: Data, milliseconds: Int)], length: Int?,
                      dropAfter: Int?, method: String, to writer: ResponseWriter) async throws {
        let noBodyStatus = (100...199).contains(status) || status == 204 || status == 304
        let sendsBody = !noBodyStatus && !method.equalsIgnoringASCIICase("HEAD")
        var declared = length
        if let dropAfter, sendsBody, declared != nil || (writer.version.major, writer.version.minor) < (1, 1) {
            declared = max(pieces.reduce(0) { $0 + $1.data.count }, dropAfter + 1)
        }
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
        for header in headers where !header.name.equalsIgnoringASCIICase("content-length") {
            if noBodyStatus, header.name.equalsIgnoringASCIICase("transfer-encoding") { continue }
            head.headers.add(name: header.name, value: header.value)
        }
        if let declared, !noBodyStatus { head.headers.add(name: "Content-Length", value: String(declared)) }
        try await writer.head(head)
        guard sendsBody else {
            if dropAfter != nil { throw InjectedDrop() }
            try await writer.end()
            return
        }
        var pacer = ChunkPacer(scale: timingScale), sent = 0
        for piece in pieces {
            let pause = pacer.pause(before: piece.milliseconds)
            if pause > .zero {
                await writer.flush()  // what was given goes out before the recorded pause
                try await Task.sleep(for: pause)
            }
            if let dropAfter, sent + piece.data.count >= dropAfter {
                if dropAfter > sent { try await writer.body(ByteBuffer(bytes: piece.data.prefix(dropAfter - sent))) }
                throw InjectedDrop()
            }
            sent += piece.data.count
            if !piece.data.isEmpty { try await writer.body(ByteBuffer(bytes: piece.data)) }
        }
        if dropAfter != nil { throw InjectedDrop() }
        try await writer.end()
    }
}
