public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif
public import TapeDeck

/// Serves a cassette's recorded interactions to `URLSession`, through a custom `URLProtocol`,
/// so code under test gets the recorded answers with no network.
///
/// ```swift
/// import TapeDeckReplay
///
/// let player = try CassettePlayer(contentsOf: cassetteURL)
/// let session = player.makeSession()
/// let (data, response) = try await session.data(from: URL(string: "https://api.deepseek.com/models")!)
/// try player.assertAllPlayed()
/// ```
///
/// Each player's sessions are isolated from every other player's, so parallel tests can each
/// replay their own cassette. Requests are matched by the core's rules (`MatchConfiguration`);
/// a miss fails the task with the core's report and is kept in ``failures``.
public final class CassettePlayer: Sendable {
    /// The cassette file, if the player was loaded from one.
    public let cassetteURL: URL?
    /// The cassette's name.
    public let name: String
    /// What the player was told, with the mode in force (after `TAPEDECK_MODE` and the CI guard).
    public let configuration: ReplayConfiguration
    /// The mode in force (after `TAPEDECK_MODE` and the CI guard).
    public var mode: ReplayMode { configuration.mode }
    /// How fast streamed responses are delivered.
    public var timing: ReplayTiming { configuration.timing }
    /// Damage found while loading the cassette (a file cut short).
    public let warnings: [CassetteWarning]

    let playback: Playback
    let recorder: Recorder?
    /// How many interactions the cassette held when it was loaded (the first ones in `playback`).
    let loadedCount: Int
    let failureLog = Locked<[ReplayError]>([])
    private let processWideClass = Locked<URLProtocol.Type?>(nil)
    /// The sessions ``makeSession(delegate:configuration:)`` made, invalidated by ``finish()``.
    private let sessions = Locked<[WeakSession]>([])
    /// Redirects followed for one request before giving up.
    static let maximumRedirects = 10

    /// Replays an in-memory cassette (no recording: there is no file to record into).
    public init(cassette: Cassette, timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard) {
        cassetteURL = nil
        name = cassette.name
        configuration = ReplayConfiguration(mode: .replay, timing: timing, matching: matching)
        warnings = cassette.warnings
        playback = Playback(cassette: cassette, configuration: matching)
        recorder = nil
        loadedCount = cassette.interactions.count
        Self.warn(playback.matchingWarnings)
    }

    init(contentsOf url: URL, configuration requested: ReplayConfiguration, environment: [String: String]) throws(ReplayError) {
        let path = url.path
        let (cassette, mode) = try Self.open(url, mode: requested.mode, environment: environment)
        var configuration = requested
        configuration.mode = mode
        cassetteURL = url
        name = cassette.name
        self.configuration = configuration
        warnings = cassette.warnings
        playback = Playback(cassette: cassette, configuration: configuration.matching, source: path)
        loadedCount = cassette.interactions.count
        // Live fetches through the recorder's fetcher, but keeps nothing: its file is never opened.
        recorder = mode.reachesNetwork
            ? Recorder(url: url, name: cassette.name, startFresh: mode == .recordAll, matching: configuration.matching,
                       keeping: mode == .recordAll ? cassette.interactions : [], storing: { [configuration] in configuration.stores(status: $0) })
            : nil
        Self.warn(playback.matchingWarnings)
    }

    /// Says on standard error what is likely wrong with the matching configuration (a warning,
    /// not a failure: an ignored field may appear only in requests recorded later).
    package static func warn(_ warnings: [String]) {
        for warning in warnings { FileHandle.standardError.write(Data("TapeDeck: warning: \(warning)\n".utf8)) }
    }

    deinit {
        if let processWide = processWideClass.withLock({ $0 }) { URLProtocol.unregisterClass(processWide) }
    }

    // MARK: - Sessions

    /// A new session whose requests this player answers.
    ///
    /// - Parameters:
    ///   - delegate: a session delegate. With one, a streamed response reaches its
    ///     `urlSession(_:dataTask:didReceive:)` chunk by chunk, as recorded.
    ///   - configuration: the configuration to start from (`.ephemeral` by default).
    ///
    /// The session keeps the player alive, so `try CassettePlayer(...).makeSession()` works: its
    /// delegate queue (which every session retains) holds the player. The session is a plain
    /// `URLSession`, on every platform; your delegate is its delegate, untouched.
    ///
    /// ``finish()`` (which `withCassette` and the `.cassette` trait call when the test ends)
    /// invalidates the session: a session retains its delegate and delegate queue until it is
    /// invalidated, so nothing it holds outlives the test.
    public func makeSession(delegate: (any URLSessionDelegate)? = nil, configuration: URLSessionConfiguration = .ephemeral) -> URLSession {
        let session = URLSession(configuration: configure(configuration, streaming: delegate != nil), delegate: delegate,
                                 delegateQueue: PlayerQueue(player: self))
        sessions.withLock { sessions in
            sessions.removeAll { $0.value == nil }
            sessions.append(WeakSession(value: session))
        }
        return session
    }

    /// A session this player made, not kept alive by it (the session holds the player).
    private struct WeakSession: @unchecked Sendable {  // written once; reading a weak reference is thread-safe
        weak var value: URLSession?
    }

    /// Installs this player in `configuration` (first in its `protocolClasses`) and returns it,
    /// for code that builds its own session. Keep the player alive while that session runs: a
    /// request after the player is released fails with an error saying so.
    ///
    /// The configuration loses its URL cache (`urlCache` becomes `nil`, `requestCachePolicy`
    /// `.reloadIgnoringLocalCacheData`): every answer comes from the cassette, in recorded order,
    /// never from a response cached earlier, and no request pays for a cache lookup.
    ///
    /// - Parameters:
    ///   - configuration: the configuration to change.
    ///   - streaming: deliver a streamed response chunk by chunk. Only a session with a data
    ///     delegate sees the pieces: completion handlers and `data(for:)` keep only the last
    ///     piece on Linux, so leave this off for them.
    @discardableResult
    public func configure(_ configuration: URLSessionConfiguration, streaming: Bool = false) -> URLSessionConfiguration {
        let protocolClass = SlotRegistry.shared.register(self, streaming: streaming)
        configuration.protocolClasses = [protocolClass] + (configuration.protocolClasses ?? [])
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return configuration
    }

    /// Registers this player for the whole process (`URLProtocol.registerClass`), for code that
    /// uses `URLSession.shared`.
    ///
    /// Limits on Linux (FoundationNetworking): `URLSession.shared` does **not** consult
    /// registered classes for `http` and `https`, its built-in protocol wins, so this reaches
    /// only requests with other schemes. Prefer ``makeSession(delegate:configuration:)``. Only one
    /// player should be registered at a time; it claims only requests to the scheme and host of
    /// a recorded interaction. ``unregisterProcessWide()`` undoes it.
    public func registerProcessWide() {
        let protocolClass = SlotRegistry.shared.register(self, streaming: false, processWide: true)
        processWideClass.withLock { $0 = protocolClass }
        _ = URLProtocol.registerClass(protocolClass)
    }

    /// Whether the cassette holds an interaction with `url`'s scheme and host.
    func knows(_ url: URL?) -> Bool {
        guard let url, let scheme = url.scheme?.asciiLowercased, let host = url.host?.asciiLowercased else { return false }
        return playback.origins.contains("\(scheme)://\(host)")
    }

    /// Undoes ``registerProcessWide()``.
    public func unregisterProcessWide() {
        if let protocolClass = processWideClass.withLock({ current in defer { current = nil }; return current }) {
            URLProtocol.unregisterClass(protocolClass)
        }
    }

    // MARK: - After the exchange

    /// Every request that failed so far (misses, unreadable bodies, upstream failures), even
    /// those the code under test caught and ignored.
    public var failures: [ReplayError] { failureLog.withLock { $0 } }

    /// Every request this player's sessions made, in the order they arrived, redacted as a
    /// recording would store them (credentials removed), matched or not, for assertions on what
    /// the code under test sent. A redirect the player followed is not a request of its own.
    ///
    /// ```swift
    /// let sent = try #require(player.requests.last)
    /// let body = try sent.decodedBody(as: ChatRequest.self)
    /// #expect(body.model == "deepseek-chat")
    /// ```
    public var requests: [RecordedRequest] { playback.requests }

    /// Adds answers made in code (`Stub`) beside the recorded interactions: each is matched
    /// on its `StubRule` (method and path by default) before the recordings, so a stub can
    /// answer the first request (a 429 with `answering(times: 1)`) and the recording the retry.
    /// Stubs never count as unplayed, and are never written to the cassette.
    ///
    /// ```swift
    /// player.stub(try Stub.error(.openAI, status: 429, retryAfter: 1).answering(times: 1))
    /// player.stub(Stub.openAIChat("Paris.", stream: true))
    /// ```
    ///
    /// An interaction without a rule gets `StubRule.methodAndPath`.
    public func stub(_ interactions: Interaction...) {
        for interaction in interactions { playback.append(interaction.asStub) }
    }

    /// Throws if any recorded interaction was never requested, listing them.
    public func assertAllPlayed() throws(ReplayError) {
        if let error = ReplayError.unplayed(in: playback, source: source) { throw error }
    }

    /// Ends the player's work: invalidates the sessions ``makeSession(delegate:configuration:)``
    /// made (tasks already running finish first; new ones fail), and ends a recording, closing
    /// the cassette and compacting it to one gzip member (stable bytes for git). `withCassette`
    /// and the `.cassette` trait call it when the test ends.
    ///
    /// With ``ReplayConfiguration/pruneUnplayed`` in record-missing, the cassette is then
    /// rewritten without the recorded interactions nobody played (stubs stay).
    public func finish() throws(ReplayError) {
        try finish(pruning: configuration.prunes)
    }

    /// ``finish()``, pruning only when `pruning` (the glue passes `configuration.prunes` only
    /// after a test that passed).
    package func finish(pruning: Bool) throws(ReplayError) {
        let made = sessions.withLock { sessions in
            defer { sessions = [] }
            return sessions.compactMap(\.value)
        }
        made.forEach { $0.finishTasksAndInvalidate() }
        try recorder?.finish()
        if pruning, let cassetteURL {
            try CassettePruning.prune(cassetteURL, removing: CassettePruning.stale(in: playback, loaded: loadedCount))
        }
    }

    /// How many interactions this player recorded.
    public var recordedCount: Int { recorder?.count ?? 0 }
}
