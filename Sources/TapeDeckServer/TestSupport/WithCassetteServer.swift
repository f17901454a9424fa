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
/// A test that fails keeps nothing it recorded, as with `withCassette`.
///
/// ```swift
/// func testListsModelsThroughAsyncHTTPClient() async throws {
///     try await withCassetteServer("gateway-models", configuration: .standard) { server in
///         let catalog = GatewayCatalog(baseURL: server.baseURL, ...)
///         XCTAssertEqual(try await catalog.modelIDs(), ["gpt-4"])
///     }
/// }
/// ```
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - upstream: the real API's base URL, for the modes that reach the network.
///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
///   - faults: faults to inject.
///   - fileID: the calling file, for failure reports (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - body: the test, given the running server (also ``CassetteServer/current`` while it runs).
/// - Returns: what `body` returns, or `nil` when the server could not start.
@discardableResult
public func withCassetteServer<Result, Failure: Error>(
    _ name: String,
    from location: CassetteLocation? = nil,
    upstream: URL? = nil,
    configuration: ReplayConfiguration = .standard,
    faults: [Fault] = [],
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassetteServer) async throws(Failure) -> Result
) async throws(Failure) -> Result? {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let started: ServerChecks.Started
    do throws(ReplayError) {
        started = try await ServerChecks.start(name, from: location, upstream: upstream, configuration: configuration, faults: faults,
                                               filePath: "\(filePath)")
    } catch {
        reportFailure(error.description, at: site)
        return nil
    }
    let (outcome, failed) = await CassetteServer.$current.withValue(started.server) {
        await FailureWatch.run { () async throws(Failure) -> Result in try await body(started.server) }
    }
    await ServerChecks.end(started, failed: failed).forEach { reportFailure($0, at: site) }
    return try outcome.get()
}

/// Runs `body` with a ``CassetteServer`` serving the cassette called `name`; the form with each
/// setting a parameter of its own. It behaves as
/// ``withCassetteServer(_:from:upstream:configuration:faults:fileID:filePath:line:column:_:)`` does.
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - mode: replay (default), a recording mode, or live; `TAPEDECK_MODE` overrides it.
///   - upstream: the real API's base URL, for the modes that reach the network.
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
@available(*, deprecated, message: "pass configuration: ReplayConfiguration(mode:timing:matching:requireAllPlayed:) instead")
public func withCassetteServer<Result, Failure: Error>(
    _ name: String,
    from location: CassetteLocation? = nil,
    mode: ReplayMode = .replay,
    upstream: URL? = nil,
    timing: ReplayTiming = .instant,
    matching: MatchConfiguration = .standard,
    faults: [Fault] = [],
    requireAllPlayed: Bool = true,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassetteServer) async throws(Failure) -> Result
) async throws(Failure) -> Result? {
    try await withCassetteServer(name, from: location, upstream: upstream,
                                 configuration: ReplayConfiguration(mode: mode, timing: timing, matching: matching, requireAllPlayed: requireAllPlayed),
                                 faults: faults, fileID: fileID, filePath: filePath, line: line, column: column, body)
}

/// Starting a server for a test, and what is checked and kept when the test ends (the rules of
/// `CassetteChecks`, for a server).
enum ServerChecks {
    /// A test's server and the file as it was before the test.
    struct Started: Sendable {
        let server: CassetteServer
        let snapshot: CassetteSnapshot?
    }

    /// The running server for cassette `name`.
    static func start(_ name: String, from location: CassetteLocation?, upstream: URL?, configuration: ReplayConfiguration, faults: [Fault],
                      filePath: String) async throws(ReplayError) -> Started {
        let environment = TestEnvironment.variables
        let url = try (location ?? .packageCassettes(filePath: filePath)).url(forCassette: name, mode: configuration.mode, environment: environment)
        let snapshot = await offThePool { CassetteSnapshot.take(of: url, for: configuration, environment: environment) }
        let server = try await CassetteServer.start(contentsOf: url, upstream: upstream, configuration: configuration, faults: faults, port: 0,
                                                    environment: environment)
        return Started(server: server, snapshot: snapshot)
    }

    /// Stops the server and returns one message per problem; a failed test gets its cassette
    /// back as it was, a passed one is pruned when the configuration says so.
    static func end(_ started: Started, failed: Bool) async -> [String] {
        let server = started.server
        await server.stopServing()
        let pruning = server.configuration.prunes
        var verdict = CassetteChecks.verdict(failures: server.failures, requireAllPlayed: server.configuration.requireAllPlayed && !pruning,
                                             assertAllPlayed: { () throws(ReplayError) in try server.assertAllPlayed() }, failed: failed)
        if pruning, !verdict.failed {
            do throws(ReplayError) {
                try await server.pruneUnplayed()
            } catch {
                verdict.messages.append(error.description)
                verdict.failed = true
            }
        }
        let failedTest = verdict.failed
        verdict.messages += await offThePool { CassetteChecks.takeBack(started.snapshot, failed: failedTest) }
        return verdict.messages
    }
}
