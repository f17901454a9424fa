import Foundation

import TapeDeck

/// Records misses (or everything) into the player's cassette: fetches live, redacts with the
/// session's credential memory, appends one gzip member per interaction.
final class Recorder: Sendable {
    private struct State {
        var appender: CassetteAppender?
        var redactor: Redactor
        var count = 0
    }

    let url: URL
    let name: String
    /// Record-all: the first recording replaces the old file.
    let startFresh: Bool
    private let fetcher = LiveFetchers.forCurrentPlatform()
    private let state: Locked<State>

    init(url: URL, name: String, startFresh: Bool, rules: RedactionRules) {
        self.url = url
        self.name = name
        self.startFresh = startFresh
        state = Locked(State(redactor: Redactor(rules: rules)))
    }

    var count: Int { state.withLock { $0.count } }

    /// Fetches `request` live and appends its redacted interaction. Returns what the caller gets
    /// (the live answer) and what was stored (redacted).
    func fetchAndStore(_ request: RecordedRequest) throws(ReplayError) -> (answer: Interaction, stored: Interaction) {
        let response = try fetcher.fetch(request, cassette: url.path)
        let live = Interaction(request: request, response: response)
        let path = url.path
        let result = state.withLock { state -> Result<Interaction, ReplayError> in
            let stored = state.redactor.redact(live)
            do throws(TapeDeckError) {
                if state.appender == nil {
                    let exists = FileManager.default.fileExists(atPath: path)
                    state.appender = exists && !startFresh
                        ? try CassetteAppender(appendingTo: url)
                        : try CassetteAppender(creating: url, name: name, overwrite: true)
                }
                try state.appender?.append(stored)
                state.count += 1
                return .success(stored)
            } catch {
                return .failure(ReplayError(error, cassette: path))
            }
        }
        return (live, try result.get())
    }

    /// Closes the file and compacts it, if anything was recorded.
    func finish() throws(ReplayError) {
        let appender = state.withLock { state in defer { state.appender = nil }; return state.appender }
        guard let appender else { return }
        do throws(TapeDeckError) {
            try appender.close()
            try Cassette.compact(at: url)
        } catch {
            throw ReplayError(error, cassette: url.path)
        }
    }
}
