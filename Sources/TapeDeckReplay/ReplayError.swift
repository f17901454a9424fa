public import TapeDeck

/// An error from replaying or recording through ``CassettePlayer`` (or `TapeDeckServer`'s
/// `CassetteServer`, which reports the same errors).
///
/// It names the cassette, the request and the reason. A miss carries the core's report (the
/// request, the closest recorded interactions and what differs) as its description.
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, without the details.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        let name: String
        private init(_ name: String) { self.name = name }

        /// No cassette file with that name was found.
        public static let cassetteNotFound = Kind("cassetteNotFound")
        /// The cassette could not be loaded or written (the underlying `TapeDeckError` says why).
        public static let cassette = Kind("cassette")
        /// No recorded interaction matches a request, or the matching ones are used up.
        public static let noMatch = Kind("noMatch")
        /// Recorded interactions were never requested.
        public static let unplayedInteractions = Kind("unplayedInteractions")
        /// The request's body could not be read, so it cannot be matched.
        public static let unreadableBody = Kind("unreadableBody")
        /// Recording was asked for where it is not allowed (on CI without `TAPEDECK_MODE`).
        public static let recordingRefused = Kind("recordingRefused")
        /// A request to the real upstream failed while recording.
        public static let upstream = Kind("upstream")
        /// `TAPEDECK_MODE` holds a value that is not a mode.
        public static let invalidMode = Kind("invalidMode")
        /// A cassette server could not listen (the port is taken or cannot be bound).
        public static let server = Kind("server")
        /// A fault specification does not parse or makes no sense.
        public static let invalidFault = Kind("invalidFault")
        /// A request's body is not the JSON a test asked to decode it as.
        public static let notJSON = Kind("notJSON")

        public var description: String { name }

        /// Every kind, in the order of their ``ReplayError/errorCode`` (append only: the codes
        /// are what an `NSError` carries).
        static let all: [Kind] = [.cassetteNotFound, .cassette, .noMatch, .unplayedInteractions, .unreadableBody,
                                  .recordingRefused, .upstream, .invalidMode, .server, .invalidFault, .notJSON]
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
