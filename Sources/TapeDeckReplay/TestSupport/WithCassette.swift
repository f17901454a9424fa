import TapeDeck

/// Runs `body` with the cassette called `name` loaded, as `configuration` says, then turns every
/// problem into a test failure at the caller's file and line: a cassette that cannot be loaded
/// (the body does not run), each request that missed, recorded interactions never requested, a
/// recording that could not be saved. Works in XCTest (`XCTFail`) and in Swift Testing
/// (`Issue.record`).
///
/// ```swift
/// final class ModelCatalogTests: XCTestCase {
///     func testListsDeepSeekModels() async throws {
///         try await withCassette("deepseek-models", configuration: .standard) { player in
///             let catalog = ModelCatalog(session: player.makeSession(), ...)
///             let models = try await catalog.models()
///             XCTAssertEqual(models.map(\.id), ["deepseek-chat", "deepseek-reasoner"])
///         }
///     }
/// }
/// ```
///
/// A test that fails (an error thrown out of `body`, an `XCTAssert` or `#expect` that failed, a
/// miss) keeps nothing it recorded: the cassette is put back as it was before the test, unless
/// `configuration.keepFailedRecordings`. The synchronous form, in Swift Testing, sees only
/// thrown errors and misses, not `#expect` failures.
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
///   - fileID: the calling file, for failure reports (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - body: the test, given the loaded player.
/// - Returns: what `body` returns, or `nil` when the cassette could not be loaded.
@discardableResult
public func withCassette<Result, Failure: Error>(
    _ name: String,
    from location: CassetteLocation? = nil,
    configuration: ReplayConfiguration = .standard,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassettePlayer) async throws(Failure) -> Result
) async throws(Failure) -> Result? {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let opened: CassetteChecks.Opened
    do throws(ReplayError) {
        opened = try await CassetteChecks.openInBackground(name, from: location ?? .packageCassettes(filePath: "\(filePath)"), configuration: configuration)
    } catch {
        reportFailure(error.description, at: site)
        return nil
    }
    let (outcome, failed) = await FailureWatch.run { () async throws(Failure) -> Result in try await body(opened.player) }
    await offThePool { CassetteChecks.end(opened, failed: failed) }.forEach { reportFailure($0, at: site) }
    return try outcome.get()
}

/// The synchronous form of ``withCassette(_:from:configuration:fileID:filePath:line:column:_:)-1aud``.
///
/// - Parameters:
///   - name: the cassette's name, with or without `.tape`.
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
///   - fileID: the calling file, for failure reports (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - body: the test, given the loaded player.
/// - Returns: what `body` returns, or `nil` when the cassette could not be loaded.
@discardableResult
public func withCassette<Result, Failure: Error>(
    _ name: String,
    from location: CassetteLocation? = nil,
    configuration: ReplayConfiguration = .standard,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column,
    _ body: (CassettePlayer) throws(Failure) -> Result
) throws(Failure) -> Result? {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let opened: CassetteChecks.Opened
    do throws(ReplayError) {
        opened = try CassetteChecks.open(name, from: location ?? .packageCassettes(filePath: "\(filePath)"), configuration: configuration)
    } catch {
        reportFailure(error.description, at: site)
        return nil
    }
    let (outcome, failed) = FailureWatch.run { () throws(Failure) -> Result in try body(opened.player) }
    CassetteChecks.end(opened, failed: failed).forEach { reportFailure($0, at: site) }
    return try outcome.get()
}

/// ``withCassette(_:from:configuration:fileID:filePath:line:column:_:)-1aud`` with the cassette
/// named after the running test (``CassetteLocation`` explains where it is looked for): in Swift
/// Testing `Suite.test`, in XCTest `File.testMethod` (see the README's "Cassettes named after the
/// test").
///
/// ```swift
/// func testListsDeepSeekModels() async throws {
///     try await withTestCassette { player in ... }     // cassettes/ModelCatalogTests.testListsDeepSeekModels.tape
/// }
/// ```
///
/// - Parameters:
///   - location: where to find it; by default the calling package's `cassettes/` folder.
///   - configuration: mode, timing, matching, the all-played check, and what a recording keeps.
///   - fileID: the calling file, for failure reports and the XCTest name (leave the default).
///   - filePath: the calling file's path, for failure reports and to find `cassettes/` (leave the default).
///   - line: the calling line, for failure reports (leave the default).
///   - column: the calling column, for failure reports (leave the default).
///   - function: the calling test method, for the XCTest name (leave the default).
///   - body: the test, given the loaded player.
/// - Returns: what `body` returns, or `nil` when the cassette could not be loaded.
@discardableResult
public func withTestCassette<Result, Failure: Error>(
    from location: CassetteLocation? = nil,
    configuration: ReplayConfiguration = .standard,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column, function: String = #function,
    _ body: (CassettePlayer) async throws(Failure) -> Result
) async throws(Failure) -> Result? {
    let name = TestCassetteName.forRunningTest(fileID: fileID, function: function)
    return try await withCassette(name, from: location, configuration: configuration, fileID: fileID, filePath: filePath, line: line,
                                  column: column, body)
}
