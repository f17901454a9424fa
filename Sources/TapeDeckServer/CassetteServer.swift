public import Foundation
import Logging
import NIOPosix
public import TapeDeck
import TapeDeckProxy
public import TapeDeckReplay

/// Serves a cassette over HTTP on 127.0.0.1, in the test's own process, for clients that do not
/// take a `URLSession`: AsyncHTTPClient-based SDKs, SDKs that build their own session, programs
/// in other languages. Point the client's base URL at ``baseURL``.
///
/// ```swift
/// import TapeDeckServer
///
/// let server = try await CassetteServer.start(contentsOf: cassetteURL)   // 127.0.0.1, a free port
/// let client = MyClient(baseURL: server.baseURL)
/// ...
/// try server.assertAllPlayed()
/// await server.stop()
/// ```
///
/// Matching, modes (`TAPEDECK_MODE`, the CI guard) and errors are the ones `CassettePlayer`
/// has: a request nothing matches is answered `404` with the miss report as a JSON error body and
/// kept in ``failures``. Scheme and host are not compared (requests arrive at this server's own
/// address). Each server has its own port, cassette and state, so parallel tests can each run one.
public final class CassetteServer: Sendable {
    /// `http://127.0.0.1:PORT`, the base URL to give the client.
    public let baseURL: URL
    /// The port the server listens on.
    public let port: Int
    /// The cassette file, if the server was started from one.
    public let cassetteURL: URL?
    /// The cassette's name.
    public let name: String
    /// What the server was told, with the mode in force (after `TAPEDECK_MODE` and the CI guard).
    public let configuration: ReplayConfiguration
    /// The mode in force (after `TAPEDECK_MODE` and the CI guard).
    public var mode: ReplayMode { configuration.mode }
    /// Damage found while loading the cassette (a file cut short).
    public let warnings: [CassetteWarning]

    private let http: HTTPServer
    private let replay: ReplayServer
    private let source: String
    private let recording: (recorder: CassetteRecorder, client: UpstreamClient)?
    /// How many interactions the cassette held when it was loaded.
    private let loadedCount: Int
    private let serving: Task<Void, Never>
    private let stopFailures = Locked<[ReplayError]>([])
    private let stopped = Locked(false)

    /// How long ``stop()`` lets answers in flight finish before cancelling them.
    static let stopGrace = Duration.seconds(5)

    init(http: HTTPServer, replay: ReplayServer, cassetteURL: URL?, cassette: Cassette, configuration: ReplayConfiguration,
         source: String, recording: (recorder: CassetteRecorder, client: UpstreamClient)?) {
        self.http = http
        self.replay = replay
        self.cassetteURL = cassetteURL
        name = cassette.name
        self.configuration = configuration
        warnings = cassette.warnings
        loadedCount = cassette.interactions.count
        self.source = source
        self.recording = recording
        port = http.port
        baseURL = URL(string: "http://127.0.0.1:\(http.port)")!
        serving = Task { try? await http.run(replay) }
    }

    deinit {
        // A server nobody stopped stops accepting when it is released.
        http.stop()
    }

    /// Misses and failures reach the test through ``failures``; the server itself logs nothing.
    static let quiet = Logger(label: "tapedeck.cassette-server", factory: { _ in SwiftLogNoOpLogHandler() })

    static func bind(port: Int, source: String) async throws(ReplayError) -> HTTPServer {
        guard (0...65535).contains(port) else {
            throw ReplayError(.server, cassette: source, reason: "port \(port) is not a port (0-65535; 0 picks a free one)")
        }
        do {
            return try await HTTPServer.bind(host: "127.0.0.1", port: port)
        } catch let error as ProxyError where error.kind == .portInUse {
            throw ReplayError(.server, cassette: source, reason: "cannot serve on 127.0.0.1:\(port): the port is already in use; pass port: 0 for a free one")
        } catch let error as ProxyError {
            throw ReplayError(.server, cassette: source, reason: "cannot serve on 127.0.0.1:\(port): \(error.message)")
        } catch {
            throw ReplayError(.server, cassette: source, reason: "cannot serve on 127.0.0.1:\(port): \(error)")
        }
    }

    /// The server whose `.cassetteServer(...)` trait or `withCassetteServer` is running the test.
    @TaskLocal public static var current: CassetteServer?

    /// Every request that failed so far: misses (each with the core's miss report), upstream
    /// failures while recording, and a recording that could not be saved at ``stop()``.
    public var failures: [ReplayError] {
        replay.problems.map { problem in
            switch problem {
            case .miss(let error): ReplayError(error, cassette: source)
            case .upstream(let reason): ReplayError(.upstream, cassette: source, reason: reason)
            }
        } + stopFailures.withLock { $0 }
    }

    /// Every request the server received, in the order it arrived, redacted as a recording
    /// would store it (credentials removed), matched or not, faulted or not.
    ///
    /// Requests arrive at the server's own address, so each URL is `http://127.0.0.1:PORT/...`.
    public var requests: [RecordedRequest] { replay.playback.requests }

    /// Adds answers made in code (`Stub`) beside the recorded interactions: each is matched
    /// on its `StubRule` (method and path by default) before the recordings, and never counts
    /// as unplayed. An interaction without a rule gets `StubRule.methodAndPath`.
    ///
    /// ```swift
    /// server.stub(try Stub.error(.anthropic, status: 529).answering(times: 1))
    /// ```
    public func stub(_ interactions: Interaction...) {
        for interaction in interactions { replay.playback.append(interaction.asStub) }
    }

    /// Throws if any recorded interaction was never requested, listing them.
    public func assertAllPlayed() throws(ReplayError) {
        if let error = ReplayError.unplayed(in: replay.playback, source: source) { throw error }
    }

    /// How many interactions this server recorded.
    public var recordedCount: Int { recording?.recorder.summary.interactions ?? 0 }

    /// Stops the server: no new connections; answers in flight get a few seconds to finish, then
    /// are cancelled. A recording is then closed and compacted to one gzip member; if that fails
    /// the error joins ``failures``. Calling it again does nothing.
    ///
    /// With `ReplayConfiguration.pruneUnplayed` in record-missing, the cassette is then
    /// rewritten without the recorded interactions nobody played (stubs stay).
    public func stop() async {
        guard await stopServing(), configuration.prunes, stopFailures.withLock({ $0.isEmpty }) else { return }
        do throws(ReplayError) {
            try await pruneUnplayed()
        } catch {
            stopFailures.withLock { $0.append(error) }
        }
    }

    /// Stops serving and ends the recording, without pruning (the glue prunes only after a test
    /// that passed). Calling it again does nothing and returns `false`.
    @discardableResult
    package func stopServing() async -> Bool {
        guard stopped.withLock({ stopped in defer { stopped = true }; return !stopped }) else { return false }
        http.stop()
        let serving = self.serving
        let deadline = Task {
            try await Task.sleep(for: Self.stopGrace)
            serving.cancel()
        }
        await serving.value
        deadline.cancel()
        guard let recording else { return true }
        await recording.client.shutdown()
        do throws(TapeDeckError) {
            try await recording.recorder.closeInBackground()
        } catch {
            stopFailures.withLock { $0.append(ReplayError(error, cassette: source)) }
        }
        return true
    }

    /// Rewrites the cassette without the recorded interactions nobody played (stubs stay); after
    /// ``stopServing()``, when `configuration.prunes`.
    package func pruneUnplayed() async throws(ReplayError) {
        guard let cassetteURL else { return }
        let stale = CassettePruning.stale(in: replay.playback, loaded: loadedCount)
        _ = try await offThePool { () throws(ReplayError) in try CassettePruning.prune(cassetteURL, removing: stale) }
    }
}
