public import TapeDeck

/// Everything a player, a cassette server and the test glue (`withCassette`, the `.cassette` and
/// `.cassetteServer` traits) are told, in one value: the mode, the timing, the matching, the
/// all-played check, and what a recording keeps.
///
/// ```swift
/// var configuration = ReplayConfiguration(mode: .recordMissing)
/// configuration.matching = .standard.ignoringBodyFields(["user"])
/// configuration.pruneUnplayed = true            // a re-recording drops what nobody asked for
///
/// @Test(.cassette(configuration: configuration))
/// func answersTheQuestion() async throws { ... }
/// ```
///
/// The older spellings (`mode:`, `timing:`, `matching:`, `requireAllPlayed:` as separate
/// arguments) still compile and build one of these.
public struct ReplayConfiguration: Sendable {
    /// Replay (the default), a recording mode, or live; `TAPEDECK_MODE` overrides it.
    public var mode: ReplayMode
    /// How fast streamed answers are delivered.
    public var timing: ReplayTiming
    /// How requests are matched.
    public var matching: MatchConfiguration
    /// Whether the glue fails a test that left recorded interactions unplayed.
    public var requireAllPlayed: Bool
    /// Record 5xx and 429 answers too. Off by default: a recording keeps what a test can rely
    /// on, not the upstream's bad minute (the caller still gets the live answer).
    public var recordErrors: Bool
    /// Keep what a test recorded even when the test failed. Off by default: the glue puts the
    /// cassette back as it was before the test.
    public var keepFailedRecordings: Bool
    /// In record-missing, rewrite the cassette at the end without the recorded interactions
    /// nobody played (stubs stay), so it does not collect stale entries. Only when the test passed.
    public var pruneUnplayed: Bool

    /// A configuration.
    ///
    /// - Parameters:
    ///   - mode: replay (default), record-missing, record-all or live.
    ///   - timing: instant (default) or the recorded gaps.
    ///   - matching: how requests are matched.
    ///   - requireAllPlayed: fail a test that left recorded interactions unplayed (the glue only).
    ///   - recordErrors: record 5xx and 429 answers too.
    ///   - keepFailedRecordings: keep what a failed test recorded.
    ///   - pruneUnplayed: in record-missing, drop the unplayed recorded interactions at the end.
    public init(mode: ReplayMode = .replay, timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard,
                requireAllPlayed: Bool = true, recordErrors: Bool = false, keepFailedRecordings: Bool = false, pruneUnplayed: Bool = false) {
        self.mode = mode
        self.timing = timing
        self.matching = matching
        self.requireAllPlayed = requireAllPlayed
        self.recordErrors = recordErrors
        self.keepFailedRecordings = keepFailedRecordings
        self.pruneUnplayed = pruneUnplayed
    }

    /// Replay only, instantly, with the standard matching and the all-played check.
    public static let standard = ReplayConfiguration()

    /// Whether an answer of `status` goes into the cassette: never in live mode; a 5xx or 429
    /// only with ``recordErrors``. The one rule for the player and the cassette server.
    package func stores(status: Int) -> Bool {
        mode != .live && (recordErrors || !(status == 429 || (500...599).contains(status)))
    }

    /// Whether the end of the run prunes the unplayed recordings: ``pruneUnplayed`` in record-missing.
    package var prunes: Bool { pruneUnplayed && mode == .recordMissing }
}
