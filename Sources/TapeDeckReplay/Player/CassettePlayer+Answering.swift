import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeck

extension CassettePlayer {
    // MARK: - Answering

    /// What the protocol sends back for one request.
    struct Answer {
        var response: HTTPURLResponse
        var body: Data
        var pieces: [(data: Data, milliseconds: Int)]
    }

    func answer(_ request: URLRequest, isUpload: Bool, uploadBody: Data?) -> Result<Answer, ReplayError> {
        let result = Result { () throws(ReplayError) -> Answer in
            try self.answerFollowingRedirects(request, isUpload: isUpload, uploadBody: uploadBody)
        }
        if case .failure(let error) = result { failureLog.withLock { $0.append(error) } }
        return result
    }

    /// How messages name the cassette: its path, or its name when it is in memory.
    var source: String { playback.source }

    private func answerFollowingRedirects(_ request: URLRequest, isUpload: Bool, uploadBody: Data?) throws(ReplayError) -> Answer {
        var current = try RecordedRequest(request, cassette: source)
        if isUpload, current.body == nil {
            guard let uploadBody else {
                playback.arrived(current)
                throw ReplayError(.unreadableBody, cassette: source,
                    reason: UploadBody.unreadable(current.method, current.url))
            }
            current.body = uploadBody
        }
        // Noted for `requests`, redacted once: the first hop is played with that redaction.
        var redacted: RecordedRequest? = playback.arrived(current)
        for _ in 0...Self.maximumRedirects {
            let interaction = try resolve(current, redacted: redacted)
            redacted = nil
            let response = interaction.response
            // FoundationNetworking cannot take a redirect from a URLProtocol (it traps), so a
            // recorded 3xx is followed here and the final answer given with the final URL.
            if (300...399).contains(response.status), response.status != 304, let location = response.headers["Location"],
               let next = URL(string: location, relativeTo: URL(string: current.url))?.absoluteURL {
                current = current.redirected(to: next.absoluteString, status: response.status)
                continue
            }
            let url = current.url == request.url?.absoluteString ? request.url! : URL(string: current.url) ?? request.url!
            return Answer(response: response.urlResponse(for: url), body: response.body, pieces: response.bodyPieces)
        }
        throw ReplayError(.noMatch, cassette: source, reason: "more than \(Self.maximumRedirects) redirects from \(request.url?.absoluteString ?? "the request")")
    }

    /// The interaction that answers `request`: replayed, fetched live, or recorded now if the mode allows.
    private func resolve(_ request: RecordedRequest, redacted: RecordedRequest?) throws(ReplayError) -> Interaction {
        // Record-all and live skip the recordings, not the answers made in code.
        if mode.skipsRecordings, let recorder {
            if let stub = playback.playStub(redacted ?? playback.arrived(request, keep: false)) { return stub }
            return try record(request, with: recorder)
        }
        do {
            return try playback.play(request, consuming: true, redacted: redacted)
        } catch {
            if error.kind == .noMatch, mode == .recordMissing, let recorder { return try record(request, with: recorder) }
            throw ReplayError(error, cassette: source)
        }
    }

    private func record(_ request: RecordedRequest, with recorder: Recorder) throws(ReplayError) -> Interaction {
        let live = try recorder.fetchAndStore(request)
        // An answer not stored (live, or a 5xx or 429) is not played again: a retry goes out too.
        if let stored = live.stored { playback.append(stored, played: true) }
        return live.answer
    }
}

extension RecordedRequest {
    /// The request a client makes after a `status` redirect to `location`.
    func redirected(to location: String, status: Int) -> RecordedRequest {
        var next = self
        next.url = location
        // 303, and 301/302 after a POST, turn into a GET without a body; 307/308 keep both.
        if status == 303 || ((status == 301 || status == 302) && method.equalsIgnoringASCIICase("POST")) {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll(named: "Content-Type")
            next.headers.removeAll(named: "Content-Length")
        }
        return next
    }
}
