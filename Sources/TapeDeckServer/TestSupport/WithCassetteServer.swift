public import Foundation
public import TapeDeck
public import TapeDeckReplay

/// Runs `body` with a ``CassetteServer`` serving the cassette called `name`, then stops it and
/// turns every problem into a test failure at the caller's file and line, as `withCassette` does
/// for a player: a cassette that cannot be loaded or served (the body does not run), each request
/// that missed, recorded interactions never requested, an upstream failure while recording, a
/// recording that could not be saved. Works in XCTest (`XCTFail`) and Swift Testing
/// (`Issue.record`). The server is stopped on every path, also when `body` throws.
///
/// ```swift
/// func testListsModelsThroughAsyncHTTPClient() async throws {
///     try await withCassetteServer("gateway-models") { server in
///         let catalog = GatewayCatalog(baseURL: server.baseURL, ...)
///         XCTAssertEqual(try await catalog.modelIDs(), ["gpt-4"])
///     }
/// }
/// ```
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - mode: replay (default) or a recording mode; `TAPEDECK_MODE` overrides it.
///   - upstream: the real API's base URL, for the recording modes.
///   - timing: instant (the default), or the recorded gaps between streamed chunks.
///   - matching: how requests are matched.
///   - faults: faults to inject.
///   - requireAllPlayed: fail when recorded interactions were never requested.
///   - fileID: the calling file, for failure reports (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - body: the test, given the running server (also ``CassetteServer/current`` while it runs).
/// - Returns: what `body` returns, or `nil` when the server could not start.
@discardableResult
public func withCassetteServer<Result>(
    _ name: String,
    from location: CassetteLocation? = nil,
    mode: ReplayMode = .replay,
    upstream: URL? = nil,
    timing: ReplayTiming = .instant,
    matching: MatchConfiguration = .standard,
    faults: [Fault] = [],
    requireAllPlayed: Bool = true,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassetteServer) async throws -> Result
) async rethrows -> Result? {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    guard let server = await ServerChecks.start(name, from: location, mode: mode, upstream: upstream, timing: timing, matching: matching,
                                                faults: faults, filePath: "\(filePath)", onFailure: { reportFailure($0, at: site) }) else { return nil }
    return try await ServerChecks.serving(server, requireAllPlayed: requireAllPlayed, report: { reportFailure($0, at: site) }) {
        try await body(server)
    }
}

/// Starting a server for a test, and what is checked when the test ends.
enum ServerChecks {
    /// The running server for cassette `name`, or `nil` after `onFailure` was told why not.
    static func start(_ name: String, from location: CassetteLocation?, mode: ReplayMode, upstream: URL?, timing: ReplayTiming,
                      matching: MatchConfiguration, faults: [Fault], filePath: String, onFailure: (String) -> Void) async -> CassetteServer? {
        do throws(ReplayError) {
            return try await CassetteServer.start(named: name, from: location, mode: mode, upstream: upstream, timing: timing,
                                                  matching: matching, faults: faults, filePath: filePath)
        } catch {
            onFailure(error.description)
            return nil
        }
    }

    /// Runs `body` with `server` as ``CassetteServer/current``, then stops the server and reports
    /// each problem, also when `body` throws.
    static func serving<Result>(_ server: CassetteServer, requireAllPlayed: Bool, report: (String) -> Void,
                                _ body: () async throws -> Result) async rethrows -> Result {
        let result: Result
        do {
            result = try await CassetteServer.$current.withValue(server) { try await body() }
        } catch {
            await problems(of: server, requireAllPlayed: requireAllPlayed).forEach(report)
            throw error
        }
        await problems(of: server, requireAllPlayed: requireAllPlayed).forEach(report)
        return result
    }

    /// Stops `server`, then one message per problem, as for a player.
    static func problems(of server: CassetteServer, requireAllPlayed: Bool) async -> [String] {
        await server.stop()
        let assertAllPlayed = { () throws(ReplayError) in try server.assertAllPlayed() }
        return CassetteChecks.problems(failures: server.failures, finish: { () throws(ReplayError) in },
                                       assertAllPlayed: requireAllPlayed ? assertAllPlayed : nil)
    }
}
