public import TapeDeckReplay

/// The kinds of ``TapeDeckReplay/ReplayError`` only a ``CassetteServer`` throws.
///
/// A server reports the player's errors (misses, cassettes that do not load, unplayed
/// recordings) as the same `ReplayError` a `CassettePlayer` throws, so one `catch` serves both;
/// what only a server can get wrong is declared here, beside the code that throws it, and a
/// program that links only `TapeDeckReplay` never sees these kinds.
extension ReplayError.Kind {
    /// A cassette server could not listen (the port is taken or cannot be bound).
    public static let server = ReplayError.Kind("server", code: 9)
    /// A fault specification does not parse or makes no sense.
    public static let invalidFault = ReplayError.Kind("invalidFault", code: 10)
}
