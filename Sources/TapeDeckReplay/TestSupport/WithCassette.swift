public import TapeDeck

/// Runs `body` with the cassette called `name` loaded, then turns every problem into a test
/// failure at the caller's file and line: a cassette that cannot be loaded (the body does not
/// run), each request that missed, recorded interactions never requested, a recording that
/// could not be saved. Works in XCTest (`XCTFail`) and in Swift Testing (`Issue.record`).
///
/// ```swift
/// final class ModelCatalogTests: XCTestCase {
///     func testListsDeepSeekModels() async throws {
///         try await withCassette("deepseek-models") { player in
///             let catalog = ModelCatalog(session: player.makeSession(), ...)
///             let models = try await catalog.models()
///             XCTAssertEqual(models.map(\.id), ["deepseek-chat", "deepseek-reasoner"])
///         }
///     }
/// }
/// ```
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - mode: replay (default) or a recording mode; `TAPEDECK_MODE` overrides it.
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
public func withCassette<Result>(
    _ name: String,
    from location: CassetteLocation? = nil,
    mode: ReplayMode = .replay,
    timing: ReplayTiming = .instant,
    matching: MatchConfiguration = .standard,
    requireAllPlayed: Bool = true,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassettePlayer) async throws -> Result
) async rethrows -> Result? {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    guard let player = CassetteChecks.open(name, from: location ?? .packageCassettes(filePath: "\(filePath)"), mode: mode, timing: timing,
                                           matching: matching, onFailure: { reportFailure($0, at: site) }) else { return nil }
    let result = try await body(player)
    CassetteChecks.problems(of: player, requireAllPlayed: requireAllPlayed).forEach { reportFailure($0, at: site) }
    return result
}

/// The synchronous form of ``withCassette(_:from:mode:timing:matching:requireAllPlayed:fileID:filePath:line:column:_:)-3svu``.
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - mode: replay (default) or a recording mode; `TAPEDECK_MODE` overrides it.
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
public func withCassette<Result>(
    _ name: String,
    from location: CassetteLocation? = nil,
    mode: ReplayMode = .replay,
    timing: ReplayTiming = .instant,
    matching: MatchConfiguration = .standard,
    requireAllPlayed: Bool = true,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassettePlayer) throws -> Result
) rethrows -> Result? {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    guard let player = CassetteChecks.open(name, from: location ?? .packageCassettes(filePath: "\(filePath)"), mode: mode, timing: timing,
                                           matching: matching, onFailure: { reportFailure($0, at: site) }) else { return nil }
    let result = try body(player)
    CassetteChecks.problems(of: player, requireAllPlayed: requireAllPlayed).forEach { reportFailure($0, at: site) }
    return result
}

/// Opening a cassette for a test, and what is checked when the test ends.
package enum CassetteChecks {
    /// The player for cassette `name`, or `nil` after `onFailure` was told why it cannot be loaded.
    static func open(_ name: String, from location: CassetteLocation, mode: ReplayMode, timing: ReplayTiming,
                     matching: MatchConfiguration, onFailure: (String) -> Void) -> CassettePlayer? {
        do throws(ReplayError) {
            return try CassettePlayer(named: name, from: location, mode: mode, timing: timing, matching: matching)
        } catch {
            onFailure(error.description)
            return nil
        }
    }

    /// One message per problem: each failed request, the unplayed interactions, a recording
    /// that could not be finished.
    static func problems(of player: CassettePlayer, requireAllPlayed: Bool) -> [String] {
        let assertAllPlayed = { () throws(ReplayError) in try player.assertAllPlayed() }
        return problems(failures: player.failures, finish: { () throws(ReplayError) in try player.finish() },
                        assertAllPlayed: requireAllPlayed ? assertAllPlayed : nil)
    }

    /// The messages for `failures`, a `finish` that failed and an `assertAllPlayed` that failed:
    /// one list for a player's and a cassette server's test helpers.
    package static func problems(failures: [ReplayError], finish: () throws(ReplayError) -> Void,
                                 assertAllPlayed: (() throws(ReplayError) -> Void)?) -> [String] {
        var messages = failures.map(\.description)
        do throws(ReplayError) {
            try finish()
        } catch {
            messages.append(error.description)
        }
        if let assertAllPlayed {
            do throws(ReplayError) {
                try assertAllPlayed()
            } catch {
                messages.append(error.description)
            }
        }
        return messages
    }
}
