public import Foundation

/// A ``TapeDeckError`` keeps its message as an `NSError`: on Apple platforms an error that is
/// neither `LocalizedError` nor `CustomNSError` is shown as "The operation couldn't be completed".
extension TapeDeckError: LocalizedError, CustomNSError {
    /// The `NSError` domain of every ``TapeDeckError``.
    public static let errorDomain = "TapeDeck.TapeDeckError"

    /// The whole message, as ``description`` gives it.
    public var errorDescription: String? { description }
    /// The reason alone, without the file and line.
    public var failureReason: String? { reason }

    /// A number for ``kind``, stable across releases.
    public var errorCode: Int { (Kind.all.firstIndex(of: kind) ?? Kind.all.count) + 1 }

    /// The message and the reason, and the file, line and offset where there are some.
    public var errorUserInfo: [String: Any] {
        var info: [String: Any] = [NSLocalizedDescriptionKey: description, NSLocalizedFailureReasonErrorKey: reason]
        if let file { info[NSFilePathErrorKey] = file }
        if let line { info["TapeDeckErrorLine"] = line }
        if let offset { info["TapeDeckErrorOffset"] = offset }
        return info
    }
}
