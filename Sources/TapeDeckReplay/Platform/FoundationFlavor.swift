import Foundation

/// Every place where Foundation on Apple platforms and swift-corelibs-foundation (Linux) behave
/// differently for this library, in one list, with the path each side takes and where the
/// behaviour is written down. Where both platforms offer an API, one code path is used on both
/// and the flavor is only *read* at run time, so the Linux build type-checks the Apple path too;
/// `#if` appears only where an API is missing on one side (`Process`).
///
/// | behaviour | Apple (Foundation) | Linux (FoundationNetworking) | TapeDeck's path |
/// | --- | --- | --- | --- |
/// | subclassing `URLSession` | not supported: `+sessionWithConfiguration:delegate:delegateQueue:` is a class factory (NSURLSession.h) | a designated initializer | never subclassed; the player rides on the session's delegate queue (``PlayerQueue``) |
/// | what a session retains | its `delegateQueue` (`@property (readonly, retain)`, NSURLSession.h) and its delegate | the same (`URLSession.delegateQueue`, corelibs URLSession.swift) | ``PlayerQueue`` holds the player: one path |
/// | `Process` | macOS only | available | `curl` recording only under `#if os(macOS) \|\| os(Linux)`, and chosen only on Linux |
/// | waiting for another `URLSession` inside `startLoading` | works (each session has its own delegate queue) | deadlocks: every session's work runs on one shared serial queue (linux-notes.md) | ``SessionFetcher`` on Apple, ``CurlFetcher`` on Linux, picked by ``waitsOnSharedQueue`` |
/// | redirects from a URLProtocol | `wasRedirectedTo` (NSURLProtocol.h) | traps | followed inside the protocol, the final URL reported: one path |
/// | calling the client from another thread | allowed on the client's thread | crashes | answered synchronously inside `startLoading`: one path |
/// | several `didLoad` for a completion handler | appended | only the last kept | whole body in one `didLoad` unless the session has a data delegate: one path |
/// | request bodies in a URLProtocol | usually arrive as `httpBodyStream`, `httpBody` nil (OHHTTPStubs issue 52) | `httpBody` or the stream | both read, on every platform (`RecordedRequest.init(_:cassette:)`) |
/// | upload task bodies (`upload(for:from:)`) | not promised to reach a protocol: OHHTTPStubs' README lists uploads among its known limitations; task classes are Objective-C, so reflection finds nothing. **Not verified on a device** | hidden; read from the task's `knownBody` by reflection | request body and stream first, reflection next, else one message on every platform naming the workaround, `httpBody` with `data(for:)` (``UploadBody``) |
/// | an error passed to `urlProtocol(_:didFailWithError:)` | the task fails with an `NSError` bridged from it; a Swift error that is neither `LocalizedError` nor `CustomNSError` loses its message (WeTransfer/Mocker's tests branch on `os(Linux)` for this) | the Swift error value arrives as it was | ``ReplayError`` and `TapeDeckError` are `LocalizedError` and `CustomNSError` (message, kind and cassette in `userInfo`); ``ReplayError/init(bridging:)`` gets it back: one path |
/// | content codings while recording | with no `Accept-Encoding` set, URLSession offers `gzip, deflate, br`, decodes the answer and keeps `Content-Encoding` and `Content-Length` (dotnet/macios PR 24924, issue 20661) | libcurl decodes gzip and deflate too (tested: `SessionFetcherTests`) | ``SessionFetcher`` asks for `identity`; a body that no longer carries its coding's signature is stored as decoded, headers dropped: one path |
/// | a session's hold on its delegate | "the delegate will be retained until after the delegate has been sent the URLSession:didBecomeInvalidWithError: message" (NSURLSession.h) | held strongly too | ``CassettePlayer/finish()`` invalidates the sessions it made: one path |
/// | `#filePath` at run time | exists on the Mac and in the simulator, never on a device; an Xcode project's test target has no `Package.swift` above it | the source tree is there | ``CassetteLocation/packageCassettes(filePath:)``: package folder, nearest `cassettes/` folder, then the test bundles' resources: one path |
/// | letter case of paths | APFS and HFS+ are case-insensitive by default | ext4 is not | no two paths, targets, products or modules differ only in case; the executable is `tapedeck-cli` beside the `TapeDeck` library (swift-build PR 982; FluidAudio issue 243); `Scripts/check-portability.sh` fails on a clash |
/// | `SOCK_STREAM` (tests' loopback servers) | a plain `Int32` | a struct with `rawValue` | `tcpSocket()` in the test support, the one `#if` |
/// | where `swift test` runs tests | inside `xctest` or `swiftpm-testing-helper`: `CommandLine.arguments[0]` is not in the build folder | the test binary is in the build folder | the CLI tests look beside the `.xctest` bundle, then beside the binary, `TAPEDECK_CLI` first (`ToolProcess.binaryFolders()`) |
/// | `type(of:)` of a session | a private subclass (`__NSURLSessionLocal`) | `URLSession` | tests check behaviour, never the class |
/// | `ulimit -v`, `/proc` in tests | accepted and ignored; absent | bounds the address space; present | such tests sit under `#if os(Linux)`, saying why |
/// | `URLProtocol.registerClass` and `URLSession.shared` for http(s) | consulted | the built-in HTTP protocol wins | ``CassettePlayer/registerProcessWide()`` documents both; tests use a custom scheme |
/// | a session's `URLCache` | consulted before the protocol; a cached response can answer instead of it (`NSURLRequest.CachePolicy`, NSURLRequest.h) | looked up on every request (`URLCache.cachedResponse(for:)` from `URLSessionTask.resume()`, a directory listing each time) | a player's configuration has no cache and ignores local cache data (``CassettePlayer/configure(_:streaming:)``): one path |
/// | `httpAdditionalHeaders` | merged into the request a protocol sees | never reach it | not used for routing: per-player generic protocol classes on both |
/// | distinct generic specializations of a `URLProtocol` subclass | distinct classes to the Objective-C runtime (Swift generic subclasses of `NSObject` are realized per specialization) | routed separately (linux-notes.md) | the per-player slot classes of `SlotRegistry`: one path |
/// | hearing XCTest failures (the glue discards a failed test's recording) | `testCase(_:didRecord:)` with an `XCTIssue`; observers may be added only on the main thread, XCTest throws otherwise (swift-snapshot-testing PR 834). **Not verified on a device** | `testCase(_:didFailWithDescription:inFile:atLine:)`, the only failure callback swift-corelibs-xctest has; any thread | ``XCTestFailureCount``: the one `#if canImport(Darwin)` of the glue picks the callback; registered on the main thread (synchronously) unless already there or on corelibs |
/// | hearing Swift Testing issues | `IssueHandlingTrait` and `Issue.isFailure` from Swift 6.3 (the toolchain's Testing module, same on both) | the same | ``FailureWatch`` under `#if compiler(>=6.3)`; older toolchains see only thrown errors and misses |
enum FoundationFlavor: Sendable {
    /// Apple's Foundation (macOS, iOS, tvOS, watchOS, visionOS).
    case apple
    /// swift-corelibs-foundation with FoundationNetworking (Linux, and other non-Apple systems).
    case corelibs

    /// The Foundation this build runs on.
    static let current: FoundationFlavor = {
        #if canImport(FoundationNetworking)
        return .corelibs
        #else
        return .apple
        #endif
    }()

    /// Whether every `URLSession` runs its work on one shared serial queue, so a URLProtocol that
    /// waits for another session from `startLoading` waits forever.
    var waitsOnSharedQueue: Bool { self == .corelibs }
}
