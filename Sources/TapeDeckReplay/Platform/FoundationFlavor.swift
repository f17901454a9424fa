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
/// | upload task bodies | usually reach the protocol as `httpBodyStream` (OHHTTPStubs issue 52) | hidden; read from the task's `knownBody` by reflection | stream first, reflection as the fallback (``UploadBody``): one path |
/// | `URLProtocol.registerClass` and `URLSession.shared` for http(s) | consulted | the built-in HTTP protocol wins | ``CassettePlayer/registerProcessWide()`` documents both; tests use a custom scheme |
/// | a session's `URLCache` | consulted before the protocol; a cached response can answer instead of it (`NSURLRequest.CachePolicy`, NSURLRequest.h) | looked up on every request (`URLCache.cachedResponse(for:)` from `URLSessionTask.resume()`, a directory listing each time) | a player's configuration has no cache and ignores local cache data (``CassettePlayer/configure(_:streaming:)``): one path |
/// | `httpAdditionalHeaders` | merged into the request a protocol sees | never reach it | not used for routing: per-player generic protocol classes on both |
/// | distinct generic specializations of a `URLProtocol` subclass | distinct classes to the Objective-C runtime (Swift generic subclasses of `NSObject` are realized per specialization) | routed separately (linux-notes.md) | the per-player slot classes of `SlotRegistry`: one path |
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
