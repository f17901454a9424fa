public import Foundation
import TapeDeck

/// A ``ReplayError`` keeps its message when it crosses `URLSession` as an `NSError`.
///
/// On Apple platforms a task fails with an `NSError` bridged from the error the protocol passed
/// to `urlProtocol(_:didFailWithError:)`; a Swift error that is neither `LocalizedError` nor
/// `CustomNSError` arrives as "The operation couldn't be completed" and `as? ReplayError` fails
/// (see `FoundationFlavor`). With these conformances `localizedDescription` is the whole
/// message (a miss report included) on every platform, and ``init(bridging:)`` gets the error
/// back from the `NSError` (its ``underlying`` core error only where the platform hands back
/// the same `NSError` object it was given).
extension ReplayError: LocalizedError, CustomNSError {
    /// The `NSError` domain of every ``ReplayError``.
    public static let errorDomain = "TapeDeckReplay.ReplayError"

    /// The `userInfo` key holding ``kind``'s name.
    public static let kindKey = "TapeDeckReplayErrorKind"
    /// The `userInfo` key holding ``cassette``.
    public static let cassetteKey = "TapeDeckReplayErrorCassette"

    /// The whole message, as ``description`` gives it.
    public var errorDescription: String? { description }
    /// The reason alone, without the cassette.
    public var failureReason: String? { reason }

    /// A number for ``kind``, stable across releases.
    public var errorCode: Int { kind.code }

    /// The message, the reason, the kind and the cassette, so the `NSError` carries everything.
    public var errorUserInfo: [String: Any] {
        var info: [String: Any] = [NSLocalizedDescriptionKey: description, NSLocalizedFailureReasonErrorKey: reason,
                                   Self.kindKey: kind.name]
        if let cassette { info[Self.cassetteKey] = cassette }
        if let underlying { info[NSUnderlyingErrorKey] = underlying as NSError }
        return info
    }

    /// The ``ReplayError`` behind `error`: the value itself, or one rebuilt from the `NSError`
    /// a task failed with (the domain ``errorDomain``). `nil` for any other error.
    ///
    /// ```swift
    /// do {
    ///     _ = try await session.data(for: request)
    /// } catch {
    ///     let replay = ReplayError(bridging: error)   // on every platform
    ///     print(replay?.kind == .noMatch, error.localizedDescription)
    /// }
    /// ```
    ///
    /// - Parameter error: an error a player's session threw or passed to a completion handler.
    public init?(bridging error: any Error) {
        if let replay = error as? ReplayError {
            self = replay
            return
        }
        let bridged = error as NSError
        guard bridged.domain == Self.errorDomain else { return nil }
        let info = bridged.userInfo
        // The name and the code travel together; a kind another module declares comes back whole.
        let kind = (info[Self.kindKey] as? String).map { Kind($0, code: bridged.code) }
            ?? Kind.all.first { $0.code == bridged.code } ?? .cassette
        let reason = info[NSLocalizedFailureReasonErrorKey] as? String ?? bridged.localizedDescription
        self.init(kind, cassette: info[Self.cassetteKey] as? String, reason: reason,
                  underlying: (info[NSUnderlyingErrorKey] as? NSError).flatMap { $0 as? TapeDeckError })
    }
}
