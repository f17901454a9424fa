public import Foundation
public import TapeDeck

extension CassettePlayer {
    /// Loads the cassette at `url`, as `configuration` says.
    ///
    /// ```swift
    /// let player = try CassettePlayer(contentsOf: url, configuration: ReplayConfiguration(mode: .recordMissing))
    /// ```
    ///
    /// - Parameters:
    ///   - url: the `.tape` file. In a mode that reaches the network it may not exist yet; in
    ///     `live` it is neither read nor written.
    ///   - configuration: the mode (`TAPEDECK_MODE` overrides it), timing, matching and what a
    ///     recording keeps.
    /// - Throws: ``ReplayError`` naming the file and the reason: not found, not a cassette,
    ///   a mode that reaches the network refused on CI.
    public convenience init(contentsOf url: URL, configuration: ReplayConfiguration = .standard) throws(ReplayError) {
        try self.init(contentsOf: url, configuration: configuration, environment: ProcessInfo.processInfo.environment)
    }

    /// Loads the cassette at `url`; the form with each setting a parameter of its own.
    ///
    /// - Parameters:
    ///   - url: the `.tape` file. In a recording mode it may not exist yet.
    ///   - mode: replay only (the default), record, or live; `TAPEDECK_MODE` overrides it.
    ///   - timing: instant (the default), or the recorded gaps between streamed chunks.
    ///   - matching: how requests are matched.
    /// - Throws: ``ReplayError`` naming the file and the reason: not found, not a cassette,
    ///   a recording mode refused on CI.
    @available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:) instead")
    public convenience init(contentsOf url: URL, mode: ReplayMode = .replay, timing: ReplayTiming = .instant,
                            matching: MatchConfiguration = .standard) throws(ReplayError) {
        try self.init(contentsOf: url, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching))
    }

    /// Loads the cassette called `name` from `location` (by default the calling package's
    /// `cassettes/` folder), as `configuration` says.
    ///
    /// ```swift
    /// let player = try CassettePlayer(named: "deepseek-models")
    /// ```
    public convenience init(named name: String, from location: CassetteLocation = .packageCassettes(),
                            configuration: ReplayConfiguration = .standard) throws(ReplayError) {
        let url = try location.url(forCassette: name, mode: configuration.mode, environment: ProcessInfo.processInfo.environment)
        try self.init(contentsOf: url, configuration: configuration)
    }

    /// Loads the cassette called `name` from `location`; the form with each setting a parameter
    /// of its own.
    @available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:) instead")
    public convenience init(named name: String, from location: CassetteLocation = .packageCassettes(), mode: ReplayMode = .replay,
                            timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard) throws(ReplayError) {
        try self.init(named: name, from: location, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching))
    }

    /// The separate-values form, with the environment given (for tests).
    convenience init(contentsOf url: URL, mode: ReplayMode, timing: ReplayTiming, matching: MatchConfiguration,
                     environment: [String: String]) throws(ReplayError) {
        try self.init(contentsOf: url, configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching), environment: environment)
    }

    /// The cassette at `url` as a player or server starts from, and the mode in force: `TAPEDECK_MODE`
    /// and the CI guard applied; a missing file is an empty cassette when recording; record-all
    /// starts with the stubs only; live never reads the file.
    package static func open(_ url: URL, mode requested: ReplayMode, environment: [String: String]) throws(ReplayError) -> (Cassette, ReplayMode) {
        let path = url.path
        let mode = try ReplayMode.resolve(requested, environment: environment, cassette: path)
        if mode == .live { return (Cassette(name: Cassette.name(fromPath: path)), mode) }
        var cassette: Cassette
        if FileManager.default.fileExists(atPath: path) {
            do {
                cassette = try Cassette(contentsOf: url)
            } catch {
                throw ReplayError(error, cassette: path)
            }
        } else if mode.records {
            cassette = Cassette(name: Cassette.name(fromPath: path))
        } else {
            throw ReplayError(.cassetteNotFound, cassette: path,
                reason: "no cassette file here; record it first (TAPEDECK_MODE=record-missing) or check the name and folder")
        }
        // Record-all starts over, but an answer made in code is not a recording: stubs stay.
        if mode == .recordAll { cassette.interactions.removeAll { $0.stub == nil } }
        return (cassette, mode)
    }
}
