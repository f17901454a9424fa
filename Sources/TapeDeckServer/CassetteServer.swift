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
    /// The mode in force (after `TAPEDECK_MODE` and the CI guard).
    public let mode: ReplayMode
    /// Damage found while loading the cassette (a file cut short).
    public let warnings: [CassetteWarning]

    private let http: HTTPServer
    private let replay: ReplayServer
    private let source: String
    private let recording: (recorder: CassetteRecorder, client: UpstreamClient)?
    private let serving: Task<Void, Never>
    private let stopFailures = Locked<[ReplayError]>([])
    private let stopped = Locked(false)

    /// How long ``stop()`` lets answers in flight finish before cancelling them.
    static let stopGrace = Duration.seconds(5)

    private init(http: HTTPServer, replay: ReplayServer, cassetteURL: URL?, name: String, mode: ReplayMode, warnings: [CassetteWarning],
                 source: String, recording: (recorder: CassetteRecorder, client: UpstreamClient)?) {
        self.http = http
        self.replay = replay
        self.cassetteURL = cassetteURL
        self.name = name
        self.mode = mode
        self.warnings = warnings
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

    /// Starts a server for the cassette at `url`.
    ///
    /// - Parameters:
    ///   - url: the `.tape` file. In a recording mode it may not exist yet.
    ///   - mode: replay only (the default), or record; `TAPEDECK_MODE` overrides it, and on CI
    ///     recording needs `TAPEDECK_MODE`.
    ///   - upstream: the real API's base URL (`https://api.deepseek.com`), where a recording mode
    ///     sends requests; unused in replay.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched (scheme and host are never compared).
    ///   - faults: faults to inject; the first that hits a request applies.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    /// - Throws: `ReplayError`: the cassette cannot be loaded (with the core's error), the port
    ///   cannot be bound, recording was refused or has no upstream.
    public static func start(contentsOf url: URL, mode: ReplayMode = .replay, upstream: URL? = nil, timing: ReplayTiming = .instant,
                             matching: MatchConfiguration = .standard, faults: [Fault] = [], port: Int = 0) async throws(ReplayError) -> CassetteServer {
        try await start(contentsOf: url, mode: mode, upstream: upstream, timing: timing, matching: matching, faults: faults, port: port,
                        environment: ProcessInfo.processInfo.environment)
    }

    /// Starts a server for the cassette called `name`, found in `location` (by default the
    /// `cassettes/` folder of the package that holds the calling file).
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to look; by default the calling package's `cassettes/` folder.
    ///   - mode: replay only (the default), or record; `TAPEDECK_MODE` overrides it.
    ///   - upstream: the real API's base URL, for the recording modes.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - faults: faults to inject.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    ///   - filePath: the calling file, to find its package's `cassettes/` (leave the default).
    /// - Throws: `ReplayError` as ``start(contentsOf:mode:upstream:timing:matching:faults:port:)``
    ///   does, or `ReplayError/Kind/cassetteNotFound` saying where it looked.
    public static func start(named name: String, from location: CassetteLocation? = nil, mode: ReplayMode = .replay, upstream: URL? = nil,
                             timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard, faults: [Fault] = [],
                             port: Int = 0, filePath: String = #filePath) async throws(ReplayError) -> CassetteServer {
        let environment = ProcessInfo.processInfo.environment
        let url = try (location ?? .packageCassettes(filePath: filePath)).url(forCassette: name, mode: mode, environment: environment)
        return try await start(contentsOf: url, mode: mode, upstream: upstream, timing: timing, matching: matching, faults: faults,
                               port: port, environment: environment)
    }

    /// Serves an in-memory cassette (replay only: there is no file to record into).
    ///
    /// - Parameters:
    ///   - cassette: the interactions to serve.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - faults: faults to inject.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    /// - Throws: `ReplayError` of kind `ReplayError/Kind/server` when the port cannot be bound.
    public static func start(cassette: Cassette, timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard,
                             faults: [Fault] = [], port: Int = 0) async throws(ReplayError) -> CassetteServer {
        let source = "cassette '\(cassette.name)'"
        let replay = ReplayServer(cassette: cassette, source: source, matching: matching, timingScale: timing.scale,
                                  faults: faults.map(\.rule), logger: quiet)
        CassettePlayer.warn(replay.playback.matchingWarnings)
        let http = try await bind(port: port, source: source)
        return CassetteServer(http: http, replay: replay, cassetteURL: nil, name: cassette.name, mode: .replay, warnings: cassette.warnings,
                              source: source, recording: nil)
    }

    static func start(contentsOf url: URL, mode requested: ReplayMode, upstream: URL?, timing: ReplayTiming, matching: MatchConfiguration,
                      faults: [Fault], port: Int, environment: [String: String]) async throws(ReplayError) -> CassetteServer {
        let source = url.path
        let (cassette, mode) = try CassettePlayer.open(url, mode: requested, environment: environment)
        var recording: (recorder: CassetteRecorder, client: UpstreamClient)?
        var forwarding: ReplayServer.Recording?
        if mode.records {
            guard let upstream else {
                throw ReplayError(.recordingRefused, cassette: source,
                    reason: "recording (\(mode)) needs the real API's base URL: pass upstream: (e.g. URL(string: \"https://api.deepseek.com\")!) to CassetteServer.start")
            }
            let target: UpstreamTarget
            let client: UpstreamClient
            do throws(ProxyError) {
                target = try UpstreamTarget(upstream.absoluteString, option: "upstream:")
                client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                throw ReplayError(.upstream, cassette: source, reason: error.message)
            }
            let recorder = CassetteRecorder(url: url, name: cassette.name, start: mode == .recordAll ? .create(overwrite: true) : .append(limits: nil),
                                            matching: matching)
            // Record-all starts over; the stubs `open` kept are written back first.
            if mode == .recordAll { for stub in cassette.interactions { _ = recorder.record(stub) } }
            recording = (recorder, client)
            forwarding = ReplayServer.Recording(proxy: RecordingProxy(upstream: target, recordAs: nil, client: client, recorder: recorder, logger: quiet),
                                                everything: mode == .recordAll)
        }
        let replay = ReplayServer(cassette: cassette, source: source, matching: matching, timingScale: timing.scale,
                                  faults: faults.map(\.rule), recording: forwarding, logger: quiet)
        CassettePlayer.warn(replay.playback.matchingWarnings)
        let http: HTTPServer
        do throws(ReplayError) {
            http = try await bind(port: port, source: source)
        } catch {
            await recording?.client.shutdown()
            throw error
        }
        return CassetteServer(http: http, replay: replay, cassetteURL: url, name: cassette.name, mode: mode, warnings: cassette.warnings,
                              source: source, recording: recording)
    }

    /// Misses and failures reach the test through ``failures``; the server itself logs nothing.
    private static let quiet = Logger(label: "tapedeck.cassette-server", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func bind(port: Int, source: String) async throws(ReplayError) -> HTTPServer {
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
    public func stop() async {
        guard stopped.withLock({ stopped in defer { stopped = true }; return !stopped }) else { return }
        http.stop()
        let serving = self.serving
        let deadline = Task {
            try await Task.sleep(for: Self.stopGrace)
            serving.cancel()
        }
        await serving.value
        deadline.cancel()
        guard let recording else { return }
        await recording.client.shutdown()
        do throws(TapeDeckError) {
            try await recording.recorder.closeInBackground()
        } catch {
            stopFailures.withLock { $0.append(ReplayError(error, cassette: source)) }
        }
    }
}
