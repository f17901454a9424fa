import Foundation

/// Whether a player may reach the network: only replay, record what is missing, or record all.
///
/// Chosen in code and overridden by the environment variable `TAPEDECK_MODE` (`replay`,
/// `record-missing`, `record-all`). When `CI` is set, recording is refused unless
/// `TAPEDECK_MODE` asks for it explicitly, so a CI run never calls a live API by accident.
///
/// ```swift
/// let player = try CassettePlayer(contentsOf: url, mode: .recordMissing)
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

    /// The environment variable that overrides the mode chosen in code.
    public static let environmentVariable = "TAPEDECK_MODE"

    /// Whether this mode may reach the network.
    public var records: Bool { self != .replay }

    public var description: String { name }

    /// The mode in force: `TAPEDECK_MODE` if set, else `requested`; refused when it records on
    /// CI without `TAPEDECK_MODE`.
    package static func resolve(_ requested: ReplayMode, environment: [String: String], cassette: String) throws(ReplayError) -> ReplayMode {
        if let value = environment[environmentVariable], !value.isEmpty {
            guard let mode = [replay, recordMissing, recordAll].first(where: { $0.name == value }) else {
                throw ReplayError(.invalidMode, cassette: cassette,
                    reason: "\(environmentVariable)=\(value) is not a mode; use replay, record-missing or record-all")
            }
            return mode
        }
        if requested.records, let ci = environment["CI"], !ci.isEmpty, ci != "0", ci.lowercased() != "false" {
            throw ReplayError(.recordingRefused, cassette: cassette,
                reason: "recording (\(requested)) is refused because CI is set; set \(environmentVariable)=\(requested) to record on CI on purpose")
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
