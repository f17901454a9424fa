import Foundation

import TapeDeck

/// Records misses (or everything) into the player's cassette: fetches live, then hands the
/// interaction to the core's ``CassetteRecorder`` (the one the `tapedeck record` proxy uses),
/// which redacts it with the session's credential memory and appends it as one gzip member.
final class Recorder: Sendable {
    let url: URL
    private let fetcher = LiveFetchers.forCurrentPlatform()
    private let recorder: CassetteRecorder

    /// - Parameters:
    ///   - startFresh: record-all: the first recording replaces the old file.
    ///   - stubs: answers made in code, kept from the file that record-all starts over, written
    ///     back first (they are not recordings, and do not count as recorded).
    ///   - storing: whether an answer of a status goes into the cassette (never, in live mode;
    ///     5xx and 429 only when asked). One not stored still answers the caller.
    init(url: URL, name: String, startFresh: Bool, matching: MatchConfiguration, keeping stubs: [Interaction] = [],
         storing: @escaping @Sendable (Int) -> Bool = { _ in true }) {
        self.url = url
        self.storing = storing
        recorder = CassetteRecorder(url: url, name: name, start: startFresh ? .create(overwrite: true) : .append(limits: nil), matching: matching)
        kept = stubs.count
        for stub in stubs { _ = recorder.record(stub) }
    }

    private let kept: Int
    private let storing: @Sendable (Int) -> Bool

    var count: Int { recorder.summary.interactions - kept }

    /// Fetches `request` live and appends its redacted interaction. Returns what the caller gets
    /// (the live answer) and what was stored (redacted; `nil` when `storing` refused the status). Runs on the URLProtocol's loading
    /// thread, never on the cooperative pool.
    func fetchAndStore(_ request: RecordedRequest) throws(ReplayError) -> (answer: Interaction, stored: Interaction?) {
        let response = try fetcher.fetch(request, cassette: url.path)
        let live = Interaction(request: request, response: response)
        guard storing(response.status) else { return (live, nil) }
        switch recorder.record(live) {
        case .recorded(let stored): return (live, stored)
        case .failed(_, let error): throw ReplayError(error, cassette: url.path)
        case .dropped: throw ReplayError(.cassette, cassette: url.path, reason: "the recording was already finished; \(request) was not recorded")
        }
    }

    /// Closes the file and compacts it, if anything was recorded.
    func finish() throws(ReplayError) {
        do throws(TapeDeckError) {
            try recorder.close()
        } catch {
            throw ReplayError(error, cassette: url.path)
        }
    }
}
