public import Foundation
import NIOPosix
public import TapeDeck
import TapeDeckProxy
public import TapeDeckReplay

extension CassetteServer {
    /// Starts a server for the cassette at `url`, as `configuration` says.
    ///
    /// ```swift
    /// let server = try await CassetteServer.start(contentsOf: url, upstream: URL(string: "https://api.deepseek.com")!,
    ///                                             configuration: ReplayConfiguration(mode: .recordMissing))
    /// ```
    ///
    /// - Parameters:
    ///   - url: the `.tape` file. In a mode that reaches the network it may not exist yet; in
    ///     `live` it is neither read nor written.
    ///   - upstream: the real API's base URL (`https://api.deepseek.com`), where the recording
    ///     modes and live send requests; unused in replay.
    ///   - configuration: the mode (`TAPEDECK_MODE` overrides it; on CI a mode that reaches the
    ///     network needs `TAPEDECK_MODE`), timing, matching (scheme and host are never compared)
    ///     and what a recording keeps.
    ///   - faults: faults to inject; the first that hits a request applies.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    /// - Throws: `ReplayError`: the cassette cannot be loaded (with the core's error), the port
    ///   cannot be bound, the network was refused or has no upstream.
    public static func start(contentsOf url: URL, upstream: URL? = nil, configuration: ReplayConfiguration = .standard, faults: [Fault] = [],
                             port: Int = 0) async throws(ReplayError) -> CassetteServer {
        try await start(contentsOf: url, upstream: upstream, configuration: configuration, faults: faults, port: port,
                        environment: ProcessInfo.processInfo.environment)
    }

    /// Starts a server for the cassette at `url`; see ``start(contentsOf:upstream:configuration:faults:port:)``.
    ///
    /// - Parameters:
    ///   - url: the `.tape` file. In a recording mode it may not exist yet.
    ///   - mode: replay only (the default), record, or live; `TAPEDECK_MODE` overrides it.
    ///   - upstream: the real API's base URL, for the modes that reach the network.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched (scheme and host are never compared).
    ///   - faults: faults to inject; the first that hits a request applies.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    @available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:) instead")
    public static func start(contentsOf url: URL, mode: ReplayMode = .replay, upstream: URL? = nil, timing: ReplayTiming = .instant,
                             matching: MatchConfiguration = .standard, faults: [Fault] = [], port: Int = 0) async throws(ReplayError) -> CassetteServer {
        try await start(contentsOf: url, upstream: upstream, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching),
                        faults: faults, port: port)
    }

    /// Starts a server for the cassette called `name`, found in `location` (by default the
    /// `cassettes/` folder of the package that holds the calling file), as `configuration` says.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to look; by default the calling package's `cassettes/` folder.
    ///   - upstream: the real API's base URL, for the modes that reach the network.
    ///   - configuration: mode, timing, matching and what a recording keeps.
    ///   - faults: faults to inject.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    ///   - filePath: the calling file, to find its package's `cassettes/` (leave the default).
    /// - Throws: `ReplayError` as ``start(contentsOf:upstream:configuration:faults:port:)``
    ///   does, or `ReplayError/Kind/cassetteNotFound` saying where it looked.
    public static func start(named name: String, from location: CassetteLocation? = nil, upstream: URL? = nil, configuration: ReplayConfiguration = .standard,
                             faults: [Fault] = [], port: Int = 0, filePath: String = #filePath) async throws(ReplayError) -> CassetteServer {
        let environment = ProcessInfo.processInfo.environment
        let url = try (location ?? .packageCassettes(filePath: filePath)).url(forCassette: name, mode: configuration.mode, environment: environment)
        return try await start(contentsOf: url, upstream: upstream, configuration: configuration, faults: faults, port: port, environment: environment)
    }

    /// Starts a server for the cassette called `name`; see ``start(named:from:upstream:configuration:faults:port:filePath:)``.
    ///
    /// - Parameters:
    ///   - name: the cassette's name, with or without `.tape`.
    ///   - location: where to look; by default the calling package's `cassettes/` folder.
    ///   - mode: replay only (the default), record, or live; `TAPEDECK_MODE` overrides it.
    ///   - upstream: the real API's base URL, for the modes that reach the network.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    ///   - faults: faults to inject.
    ///   - port: the port on 127.0.0.1; 0 (the default) picks a free one.
    ///   - filePath: the calling file, to find its package's `cassettes/` (leave the default).
    @available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:) instead")
    public static func start(named name: String, from location: CassetteLocation? = nil, mode: ReplayMode = .replay, upstream: URL? = nil,
                             timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard, faults: [Fault] = [],
                             port: Int = 0, filePath: String = #filePath) async throws(ReplayError) -> CassetteServer {
        try await start(named: name, from: location, upstream: upstream, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching),
                        faults: faults, port: port, filePath: filePath)
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
        return CassetteServer(http: http, replay: replay, cassetteURL: nil, cassette: cassette,
                              configuration: ReplayConfiguration(timing: timing, matching: matching), source: source, recording: nil)
    }

    /// The separate-values form, with the environment given (for tests).
    static func start(contentsOf url: URL, mode: ReplayMode, upstream: URL?, timing: ReplayTiming, matching: MatchConfiguration,
                      faults: [Fault], port: Int, environment: [String: String]) async throws(ReplayError) -> CassetteServer {
        try await start(contentsOf: url, upstream: upstream, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching),
                        faults: faults, port: port, environment: environment)
    }

    static func start(contentsOf url: URL, upstream: URL?, configuration requested: ReplayConfiguration, faults: [Fault], port: Int,
                      environment: [String: String]) async throws(ReplayError) -> CassetteServer {
        let source = url.path
        let (cassette, mode) = try CassettePlayer.open(url, mode: requested.mode, environment: environment)
        var configuration = requested
        configuration.mode = mode
        let matching = configuration.matching
        var recording: (recorder: CassetteRecorder, client: UpstreamClient)?
        var forwarding: ReplayServer.Recording?
        if mode.reachesNetwork {
            guard let upstream else {
                throw ReplayError(.recordingRefused, cassette: source,
                    reason: "\(mode == .live ? "live" : "recording (\(mode))") needs the real API's base URL: pass upstream: (e.g. URL(string: \"https://api.deepseek.com\")!) to CassetteServer.start")
            }
            let target: UpstreamTarget
            let client: UpstreamClient
            do throws(ProxyError) {
                target = try UpstreamTarget(upstream.absoluteString, option: "upstream:")
                client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                throw ReplayError(.upstream, cassette: source, reason: error.message)
            }
            // Live stores nothing, so its recorder never opens the file.
            let recorder = CassetteRecorder(url: url, name: cassette.name, start: mode == .recordAll ? .create(overwrite: true) : .append(limits: nil),
                                            matching: matching)
            // Record-all starts over; the stubs `open` kept are written back first.
            if mode == .recordAll { for stub in cassette.interactions { _ = recorder.record(stub) } }
            recording = (recorder, client)
            let proxy = RecordingProxy(upstream: target, recordAs: nil, client: client, recorder: recorder, logger: quiet,
                                       storing: { [configuration] in configuration.stores(status: $0) })
            forwarding = ReplayServer.Recording(proxy: proxy, everything: mode.skipsRecordings)
        }
        let replay = ReplayServer(cassette: cassette, source: source, matching: matching, timingScale: configuration.timing.scale,
                                  faults: faults.map(\.rule), recording: forwarding, logger: quiet)
        CassettePlayer.warn(replay.playback.matchingWarnings)
        let http: HTTPServer
        do throws(ReplayError) {
            http = try await bind(port: port, source: source)
        } catch {
            await recording?.client.shutdown()
            throw error
        }
        return CassetteServer(http: http, replay: replay, cassetteURL: url, cassette: cassette, configuration: configuration,
                              source: source, recording: recording)
    }
}
