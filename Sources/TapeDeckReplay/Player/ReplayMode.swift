import Foundation

/// Whether a player may reach the network: only replay, record what is missing, record all, or
/// go live (the real API, nothing read or written).
///
/// Chosen in code and overridden by the environment variable `TAPEDECK_MODE` (`replay`,
/// `record-missing`, `record-all`, `live`). When `CI` is set, a mode that reaches the network is
/// refused unless `TAPEDECK_MODE` asks for it explicitly, so a CI run never calls a live API by
/// accident (a nightly run against the real model sets `TAPEDECK_MODE=live`).
///
/// ```swift
/// let player = try CassettePlayer(contentsOf: url, configuration: ReplayConfiguration(mode: .recordMissing))
/// // TAPEDECK_MODE=replay swift test     -> replays only, whatever the code says
/// ```
public struct ReplayMode: Hashable, Sendable, CustomStringConvertible {
    /// The spelling used in `TAPEDECK_MODE`.
    public let name: String

    private init(_ name: String) { self.name = name }

    /// Never touches the network; a request with no match fails with the miss report.
    public static let replay = ReplayMode("replay")
    /// A request with no match goes to the real upstream; the answer is redacted, appended to
    /// the cassette and given to the caller.
    public static let recordMissing = ReplayMode("record-missing")
    /// Every request goes to the real upstream and the cassette is recorded anew.
    public static let recordAll = ReplayMode("record-all")

    /// Every request goes to the real API and gets its live answer; no cassette is read and
    /// nothing is written, even where the code asks to record (stubs added in code still answer).
    /// `player.requests` still lists what was sent. For the nightly run against the real model.
    public static let live = ReplayMode("live")

    /// The environment variable that overrides the mode chosen in code.
    public static let environmentVariable = "TAPEDECK_MODE"

    /// Whether this mode writes the cassette (record-missing, record-all).
    public var records: Bool { self == .recordMissing || self == .recordAll }

    /// Whether this mode may reach the network (every mode but replay).
    public var reachesNetwork: Bool { self != .replay }

    /// Whether this mode skips the recordings and sends every request out (record-all, live);
    /// stubs still answer first.
    package var skipsRecordings: Bool { self == .recordAll || self == .live }

    /// Every mode, in the order `TAPEDECK_MODE` lists them.
    static let all: [ReplayMode] = [.replay, .recordMissing, .recordAll, .live]

    /// The mode spelled `name` (`record-missing`), if there is one.
    static func named(_ name: String) -> ReplayMode? { all.first { $0.name == name } }

    /// The mode `TAPEDECK_MODE` forces, else `requested`, without the CI guard: for deciding
    /// what to prepare before a player or server opens (and applies the guard).
    package static func inForce(_ requested: ReplayMode, environment: [String: String]) -> ReplayMode {
        environment[environmentVariable].flatMap(named) ?? requested
    }

    public var description: String { name }

    /// The mode in force: `TAPEDECK_MODE` if set, else `requested`; refused when it records on
    /// CI without `TAPEDECK_MODE`.
    package static func resolve(_ requested: ReplayMode, environment: [String: String], cassette: String) throws(ReplayError) -> ReplayMode {
        if let value = environment[environmentVariable], !value.isEmpty {
            guard let mode = named(value) else {
                throw ReplayError(.invalidMode, cassette: cassette,
                    reason: "\(environmentVariable)=\(value) is not a mode; use replay, record-missing, record-all or live")
            }
            return mode
        }
        if requested.reachesNetwork, let ci = environment["CI"], !ci.isEmpty, ci != "0", !ci.equalsIgnoringASCIICase("false") {
            throw ReplayError(.recordingRefused, cassette: cassette,
                reason: requested == .live
                    ? "going live is refused because CI is set; set \(environmentVariable)=live to call the real API on CI on purpose"
                    : "recording (\(requested)) is refused because CI is set; set \(environmentVariable)=\(requested) to record on CI on purpose")
        }
        return requested
    }
}

/// How fast a streamed response is replayed.
public struct ReplayTiming: Hashable, Sendable {
    /// 0 for instant; otherwise the factor applied to the recorded gaps.
    public let scale: Double

    /// All chunks at once, no waiting (the default).
    public static let instant = ReplayTiming(scale: 0)
    /// The recorded gaps between chunks, multiplied by `scale` (0.5 is twice as fast).
    ///
    /// `scale` is clamped to 0...1000; a NaN scale means instant. Whatever the cassette says, no
    /// single pause is longer than 10 minutes.
    public static func recorded(scale: Double = 1) -> ReplayTiming {
        ReplayTiming(scale: scale.isNaN ? 0 : min(max(0, scale), maximumScale))
    }

    /// The largest scale ``recorded(scale:)`` keeps.
    public static let maximumScale: Double = 1000
}
