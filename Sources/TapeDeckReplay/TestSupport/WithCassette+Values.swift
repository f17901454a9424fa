public import TapeDeck

/// Runs `body` with the cassette called `name` loaded; the form with each setting a parameter of
/// its own. It builds a ``ReplayConfiguration`` and behaves as
/// ``withCassette(_:from:configuration:fileID:filePath:line:column:_:)-1aud`` does, so a test
/// that fails keeps nothing it recorded.
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - mode: replay (default), a recording mode, or live; `TAPEDECK_MODE` overrides it.
///   - timing: instant (the default), or the recorded gaps between streamed chunks.
///   - matching: how requests are matched.
///   - requireAllPlayed: fail when recorded interactions were never requested.
///   - fileID: the calling file, for failure reports (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - body: the test, given the loaded player.
/// - Returns: what `body` returns, or `nil` when the cassette could not be loaded.
@discardableResult
@available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:requireAllPlayed:) instead")
public func withCassette<Result, Failure: Error>(
    _ name: String,
    from location: CassetteLocation? = nil,
    mode: ReplayMode = .replay,
    timing: ReplayTiming = .instant,
    matching: MatchConfiguration = .standard,
    requireAllPlayed: Bool = true,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassettePlayer) async throws(Failure) -> Result
) async throws(Failure) -> Result? {
    try await withCassette(name, from: location,
                           configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching, requireAllPlayed: requireAllPlayed),
                           fileID: fileID, filePath: filePath, line: line, column: column, body)
}

/// The synchronous form of ``withCassette(_:from:mode:timing:matching:requireAllPlayed:fileID:filePath:line:column:_:)-3mblq``.
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - mode: replay (default), a recording mode, or live; `TAPEDECK_MODE` overrides it.
///   - timing: instant (the default), or the recorded gaps between streamed chunks.
///   - matching: how requests are matched.
///   - requireAllPlayed: fail when recorded interactions were never requested.
///   - fileID: the calling file, for failure reports (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - body: the test, given the loaded player.
/// - Returns: what `body` returns, or `nil` when the cassette could not be loaded.
@discardableResult
@available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:requireAllPlayed:) instead")
public func withCassette<Result, Failure: Error>(
    _ name: String,
    from location: CassetteLocation? = nil,
    mode: ReplayMode = .replay,
    timing: ReplayTiming = .instant,
    matching: MatchConfiguration = .standard,
    requireAllPlayed: Bool = true,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassettePlayer) throws(Failure) -> Result
) throws(Failure) -> Result? {
    try withCassette(name, from: location,
                     configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching, requireAllPlayed: requireAllPlayed),
                     fileID: fileID, filePath: filePath, line: line, column: column, body)
}
