public import TapeDeck

/// An error from replaying or recording through ``CassettePlayer`` (or `TapeDeckServer`'s
/// `CassetteServer`, which reports the same errors).
///
/// It names the cassette, the request and the reason. A miss carries the core's report (the
/// request, the closest recorded interactions and what differs) as its description.
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, without the details.
    ///
    /// Each kind has a name and a number, the ``ReplayError/errorCode`` an `NSError` carries.
    /// The kinds below are this library's; `TapeDeckServer` declares the few that only a
    /// server has (its port, its fault specifications) beside the code that throws them.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        let name: String
        let code: Int

        /// A kind named `name`, numbered `code` (stable across releases; `TapeDeckServer` owns 9 and 10).
        package init(_ name: String, code: Int) {
            self.name = name
            self.code = code
        }

        /// No cassette file with that name was found.
        public static let cassetteNotFound = Kind("cassetteNotFound", code: 1)
        /// The cassette could not be loaded or written (the underlying `TapeDeckError` says why).
        public static let cassette = Kind("cassette", code: 2)
        /// No recorded interaction matches a request, or the matching ones are used up.
        public static let noMatch = Kind("noMatch", code: 3)
        /// Recorded interactions were never requested.
        public static let unplayedInteractions = Kind("unplayedInteractions", code: 4)
        /// The request's body could not be read, so it cannot be matched.
        public static let unreadableBody = Kind("unreadableBody", code: 5)
        /// Recording was asked for where it is not allowed (on CI without `TAPEDECK_MODE`).
        public static let recordingRefused = Kind("recordingRefused", code: 6)
        /// A request to the real upstream failed while recording.
        public static let upstream = Kind("upstream", code: 7)
        /// `TAPEDECK_MODE` holds a value that is not a mode.
        public static let invalidMode = Kind("invalidMode", code: 8)
        /// A request's body is not the JSON a test asked to decode it as.
        public static let notJSON = Kind("notJSON", code: 11)

        public var description: String { name }

        /// This library's kinds, to find one by its code when an `NSError` lost the name.
        static let all: [Kind] = [.cassetteNotFound, .cassette, .noMatch, .unplayedInteractions, .unreadableBody,
                                  .recordingRefused, .upstream, .invalidMode, .notJSON]
    }

    /// What went wrong.
    public let kind: Kind
    /// The cassette file involved, if known.
    public let cassette: String?
    /// The message, naming the request where there is one.
    public let reason: String
    /// The core error behind this one, if any.
    public let underlying: TapeDeckError?

    package init(_ kind: Kind, cassette: String? = nil, reason: String, underlying: TapeDeckError? = nil) {
        self.kind = kind
        self.cassette = cassette
        self.reason = reason
        self.underlying = underlying
    }

    package init(_ error: TapeDeckError, cassette: String?) {
        let kind: Kind = error.kind == .noMatch || error.kind == .exhausted ? .noMatch : .cassette
        self.init(kind, cassette: cassette ?? error.file, reason: error.description, underlying: error)
    }

    public var description: String {
        if let cassette, !reason.contains(cassette) { return "TapeDeck: \(cassette): \(reason)" }
        return "TapeDeck: \(reason)"
    }
}

extension ReplayError {
    /// The error listing the interactions of `playback` never played, or `nil` when all were.
    package static func unplayed(in playback: Playback, source: String) -> ReplayError? {
        let unplayed = playback.unplayed
        guard !unplayed.isEmpty else { return nil }
        let list = unplayed.map { "  #\($0.index + 1) \($0.interaction.request) -> \($0.interaction.response.status)" }
        return ReplayError(.unplayedInteractions, cassette: source,
            reason: "\(unplayed.count) recorded interaction\(unplayed.count == 1 ? " was" : "s were") never requested:\n" + list.joined(separator: "\n"))
    }
}
