import Dispatch
package import Foundation

/// The one recorder behind `tapedeck record` and the replay library's record modes: it remembers
/// the credentials it has seen and removes them, keeps identical requests in the order they
/// arrived, and appends each finished interaction to the cassette as its own gzip member.
///
/// Redacting, encoding, compressing and writing happen on one serial dispatch queue of its own,
/// never on the caller's thread (the cooperative pool, an event loop or a URLProtocol thread):
/// ``finish(_:with:)`` suspends until its interaction is written or held in line, which also
/// keeps a fast client from queueing more than one interaction per connection.
package final class CassetteRecorder: Sendable {
    /// How the cassette file is opened, on the first write or by ``open()``.
    package enum Start: Sendable {
        /// A new file; an existing one is replaced only with `overwrite`.
        case create(overwrite: Bool)
        /// Added to when the file exists (a file cut short is repaired first), created otherwise.
        case append(limits: CassetteLimits?)
    }

    /// What the recorder has written so far.
    package struct Summary: Sendable {
        /// Interactions written to the file.
        package var interactions = 0
        /// The kinds of credential removed from them.
        package var credentialKinds: Set<CredentialKind> = []
        /// Interactions that could not be written.
        package var failures = 0
    }

    /// What became of a finished exchange.
    package enum Outcome: Sendable {
        /// Redacted, and written or held until the identical requests that arrived before it are
        /// done.
        case recorded(Interaction)
        /// Redacted, but the file refused it.
        case failed(Interaction, TapeDeckError)
        /// Nothing was given (the exchange failed); it no longer holds back later ones.
        case dropped
    }

    /// A place in line, taken when a request arrives.
    package struct Ticket: Sendable {
        fileprivate let place: ArrivalOrder.Ticket
    }

    private struct State {
        var appender: CassetteAppender?
        var redactor: Redactor
        var summary = Summary()
        var closed = false
    }

    /// The cassette file.
    package let url: URL
    private let name: String?
    private let start: Start
    private let matching: MatchConfiguration
    private let order = ArrivalOrder()
    private let state: Locked<State>
    private let queue = DispatchQueue(label: "tapedeck.cassette-recorder")
    private let writeFailed: @Sendable (Interaction, TapeDeckError) -> Void

    /// - Parameters:
    ///   - url: the cassette file.
    ///   - name: the name a new cassette gets (defaults to the file name).
    ///   - start: how the file is opened.
    ///   - matching: which requests count as identical (their order is kept); its redaction
    ///     rules are the ones the recorder applies.
    ///   - writeFailed: told about an interaction held in line and then refused by the file
    ///     (the caller that finished it has already had its answer).
    package init(url: URL, name: String? = nil, start: Start, matching: MatchConfiguration,
                 writeFailed: @escaping @Sendable (Interaction, TapeDeckError) -> Void = { _, _ in }) {
        self.url = url
        self.name = name
        self.start = start
        self.matching = matching
        self.writeFailed = writeFailed
        state = Locked(State(redactor: Redactor(rules: matching.redaction)))
    }

    /// What has been written so far.
    package var summary: Summary { state.withLock { $0.summary } }

    /// Warnings about an existing file that was repaired before appending.
    package var warnings: [CassetteWarning] { state.withLock { $0.appender?.warnings ?? [] } }

    /// Opens the file now (rather than on the first write), so a file that cannot be written is
    /// reported before anything is recorded.
    package func open() throws(TapeDeckError) {
        let opened = queue.sync { () -> Result<CassetteAppender, TapeDeckError> in
            do throws(TapeDeckError) { return .success(try self.appenderOnQueue()) } catch { return .failure(error) }
        }
        _ = try opened.get()
    }

    /// `request`'s URL with the credentials known so far removed, for logs.
    package func shownURL(_ request: RecordedRequest) -> String {
        state.withLock { state in
            var redactor = state.redactor
            return redactor.redact(RecordedRequest(method: request.method, url: request.url)).url
        }
    }

    /// Takes `request`'s place in line (as a client sent it, before redaction).
    package func arrived(_ request: RecordedRequest) -> Ticket {
        var redactor = Redactor(rules: matching.redaction)
        return Ticket(place: order.ticket(key: Playback.key(redactor.redact(request), matching)))
    }

    /// Ends `ticket`: redacts `interaction` and writes it, in arrival order among identical
    /// requests; `nil` when the exchange failed and is not recorded. Returns once it is written
    /// or held in line.
    package func finish(_ ticket: Ticket, with interaction: Interaction?) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            queue.async { continuation.resume(returning: self.finishOnQueue(ticket, interaction)) }
        }
    }

    /// Ends `ticket` without an interaction (the exchange failed or was cancelled), without
    /// waiting: identical requests that arrived later are no longer held back by it.
    package func abandon(_ ticket: Ticket) {
        queue.async { _ = self.finishOnQueue(ticket, nil) }
    }

    /// Records `interaction` at once, waiting on the calling thread: for a caller that is not on
    /// the cooperative pool (a URLProtocol's loading thread).
    package func record(_ interaction: Interaction) -> Outcome {
        let ticket = arrived(interaction.request)
        return queue.sync { finishOnQueue(ticket, interaction) }
    }

    /// Records `interaction` without waiting: it is redacted and written on the recorder's queue
    /// later, and a failure is reported to `writeFailed`. For a caller on an event loop that
    /// must not block (the proxy floor benchmark).
    package func submit(_ interaction: Interaction) {
        let ticket = arrived(interaction.request)
        queue.async {
            if case .failed(let stored, let error) = self.finishOnQueue(ticket, interaction) { self.writeFailed(stored, error) }
        }
    }

    /// Waits for pending writes, closes the file and compacts it to one gzip member, if
    /// anything was opened. Later finishes are dropped.
    package func close(limits: CassetteLimits? = nil) throws(TapeDeckError) {
        let appender = queue.sync {
            state.withLock { state -> CassetteAppender? in
                state.closed = true
                defer { state.appender = nil }
                return state.appender
            }
        }
        guard let appender else { return }
        try appender.close()
        try Cassette.compact(at: url, limits: limits)
    }

    /// ``close(limits:)`` for an async caller: the closing and compacting (file I/O and
    /// compression) run on a dispatch queue, not on the cooperative thread pool.
    package func closeInBackground(limits: CassetteLimits? = nil) async throws(TapeDeckError) {
        let failure = await withCheckedContinuation { (continuation: CheckedContinuation<TapeDeckError?, Never>) in
            DispatchQueue.global().async {
                do throws(TapeDeckError) {
                    try self.close(limits: limits)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
        if let failure { throw failure }
    }

    private func finishOnQueue(_ ticket: Ticket, _ interaction: Interaction?) -> Outcome {
        guard let interaction, !state.withLock({ $0.closed }) else {
            order.finish(ticket.place, with: nil) { held, _ in self.write(held, reportTo: writeFailed) }
            return .dropped
        }
        let stored = state.withLock { $0.redactor.redact(interaction) }
        var own: TapeDeckError?
        order.finish(ticket.place, with: stored) { written, mine in
            // Only `stored` itself has a caller waiting; the others were held in line.
            if let error = write(written, reportTo: mine ? nil : writeFailed), mine { own = error }
        }
        if let own { return .failed(stored, own) }
        return .recorded(stored)
    }

    /// Appends one redacted interaction; on failure tells `reportTo` and returns the error.
    @discardableResult
    private func write(_ interaction: Interaction, reportTo: (@Sendable (Interaction, TapeDeckError) -> Void)?) -> TapeDeckError? {
        do throws(TapeDeckError) {
            try appenderOnQueue().append(interaction)
            let kinds = interaction.request.redacted + interaction.response.redacted
            state.withLock { state in
                state.summary.interactions += 1
                state.summary.credentialKinds.formUnion(kinds)
            }
            return nil
        } catch {
            state.withLock { $0.summary.failures += 1 }
            reportTo?(interaction, error)
            return error
        }
    }

    private func appenderOnQueue() throws(TapeDeckError) -> CassetteAppender {
        if let appender = state.withLock({ $0.appender }) { return appender }
        let appender: CassetteAppender
        switch start {
        case .create(let overwrite):
            appender = try CassetteAppender(creating: url, name: name, overwrite: overwrite)
        case .append(let limits):
            appender = FileManager.default.fileExists(atPath: url.path)
                ? try CassetteAppender(appendingTo: url, limits: limits)
                : try CassetteAppender(creating: url, name: name)
        }
        state.withLock { $0.appender = appender }
        return appender
    }
}
