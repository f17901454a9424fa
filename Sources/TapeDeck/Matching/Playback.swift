

/// Answers live requests from a cassette: finds the recorded interaction that matches, gives
/// identical requests their recorded answers in recorded order, and reports a miss with the
/// closest recorded interactions and what differs.
///
/// Lookup is a hash of the matched parts, so its cost does not grow with the cassette.
/// Thread-safe: many requests may be played at once.
///
/// ```swift
/// let playback = Playback(cassette: try Cassette(contentsOf: url))
/// let interaction = try playback.play(RecordedRequest(method: "GET", url: "https://api.deepseek.com/models",
///                                                     headers: ["Authorization": "Bearer sk-live"]))
/// print(interaction.response.status)
/// ```
public final class Playback: Sendable {
    /// How requests are matched.
    public let configuration: MatchConfiguration
    /// The cassette's name and file, for messages.
    public let source: String
    private let state: Locked<State>
    /// The expanded forms of the keys live requests carry (this playback's own, not shared).
    private let forms = SecretForms.Cache()
    /// What is likely wrong with the configuration for this cassette: an ignored body field that
    /// is not a path, or that names no field of any recorded JSON body (a typo?).
    package let matchingWarnings: [String]
    /// The requests that arrived, redacted, in order.
    private let arrivals = Locked<[RecordedRequest]>([])

    private struct Bucket {
        var members: [Int] = []
        /// Members before this position have all been played.
        var cursor = 0
    }

    private struct State {
        var interactions: [Interaction] = []
        var playCounts: [Int] = []
        var buckets: [MatchKey: Bucket] = [:]
        var origins: Set<String> = []
        /// The positions of the stubs, in the order they were added: matched before the buckets.
        var stubs: [Int] = []
    }

    /// A playback of `cassette`'s interactions.
    ///
    /// - Parameters:
    ///   - cassette: the recorded interactions.
    ///   - configuration: how requests are matched.
    ///   - source: how messages name the cassette (defaults to its name).
    public init(cassette: Cassette, configuration: MatchConfiguration = .standard, source: String? = nil) {
        self.configuration = configuration
        self.source = source ?? "cassette '\(cassette.name)'"
        // Only a configuration that ignores body fields is checked: no recorded body is parsed
        // for the warnings otherwise.
        let named = self.source
        matchingWarnings = configuration.ignoredBodyFields.isEmpty ? [] :
            configuration.invalidIgnoredBodyFields.map { "\(named): the ignored body field '\($0)' is not a path (write a.b, a[*].b or a[0]); it ignores nothing" }
            + configuration.unmatchedIgnoredBodyFields(in: cassette.interactions.map(\.request))
                .map { "\(named): the ignored body field '\($0)' names no field of any recorded JSON body; a typo?" }
        var state = State()
        state.interactions.reserveCapacity(cassette.interactions.count)
        for interaction in cassette.interactions {
            Self.add(interaction, to: &state, key: Self.key(interaction.request, configuration))
        }
        self.state = Locked(state)
    }

    /// The recorded answer to `request`, a live request as a client sent it (credentials are
    /// removed here, by the configuration's rules, before comparing).
    ///
    /// - Throws: ``TapeDeckError/Kind/noMatch`` with the miss report, or
    ///   ``TapeDeckError/Kind/exhausted`` when repeating is switched off.
    public func play(_ request: RecordedRequest) throws(TapeDeckError) -> Interaction {
        try play(request, consuming: true)
    }

    /// The recorded answer to `request`; with `consuming` false it stays unplayed, so the next
    /// identical request gets it again (an answer a fault cut short was not really served).
    package func play(_ request: RecordedRequest, consuming: Bool, redacted given: RecordedRequest? = nil) throws(TapeDeckError) -> Interaction {
        let redacted = given ?? self.redacted(request)
        let key = Self.key(redacted, configuration)
        let predicate = configuration.predicate
        let outcome: Result<Interaction, TapeDeckError> = state.withLock { state in
            if !state.stubs.isEmpty, let chosen = Self.stub(for: redacted, in: state, configuration) {
                if consuming { state.playCounts[chosen] += 1 }
                return .success(state.interactions[chosen])
            }
            guard let slot = state.buckets.index(forKey: key) else {
                return .failure(MissReport(request: redacted, interactions: state.interactions, configuration: configuration, source: source).error)
            }
            let interactions = state.interactions
            let accepts = { (index: Int) in predicate?(redacted, interactions[index]) ?? true }
            let members = state.buckets.values[slot].members
            var cursor = state.buckets.values[slot].cursor
            while cursor < members.count, state.playCounts[members[cursor]] > 0 { cursor += 1 }
            // Stored back by position: one hash per request.
            state.buckets.values[slot].cursor = cursor
            let fresh = members[cursor...].first { state.playCounts[$0] == 0 && accepts($0) }
            if let chosen = fresh ?? (configuration.whenExhausted == .repeatLast ? members.last(where: accepts) : nil) {
                if consuming { state.playCounts[chosen] += 1 }
                return .success(interactions[chosen])
            }
            if !members.contains(where: accepts) {
                return .failure(MissReport(request: redacted, interactions: interactions, configuration: configuration, source: source).error)
            }
            let numbers = members.filter(accepts).map { "#\($0 + 1)" }.joined(separator: ", ")
            return .failure(TapeDeckError(.exhausted, reason:
                "every recorded answer to \(redacted) in \(source) was already played (\(numbers)); allow repeats with whenExhausted = .repeatLast, or record the extra request"))
        }
        return try outcome.get()
    }

    /// Every request a front end (a player, a cassette server) said arrived, in the order it
    /// arrived, redacted as a recording would store it: matched or not, faulted or not.
    public var requests: [RecordedRequest] { arrivals.withLock { $0 } }

    /// Notes that `request` arrived (for ``requests``) and returns it redacted by this
    /// playback's rules, ready to be played with `play(_:consuming:redacted:)`.
    ///
    /// - Parameter keep: whether to keep it for ``requests``; a long-running server that nobody
    ///   asks passes `false`, so the list does not grow for as long as it serves.
    @discardableResult
    package func arrived(_ request: RecordedRequest, keep: Bool = true) -> RecordedRequest {
        let redacted = redacted(request)
        if keep { arrivals.withLock { $0.append(redacted) } }
        return redacted
    }

    /// `request` with credentials removed by this playback's rules: what it is matched as.
    private func redacted(_ request: RecordedRequest) -> RecordedRequest {
        var redactor = Redactor(rules: configuration.redaction, forms: forms)
        return redactor.redact(request)
    }

    /// Adds a newly recorded interaction (already redacted), e.g. in a record-missing mode.
    ///
    /// - Parameters:
    ///   - interaction: the interaction, redacted.
    ///   - played: count it as played once (it answered the request that recorded it).
    public func append(_ interaction: Interaction, played: Bool = false) {
        let key = Self.key(interaction.request, configuration)
        state.withLock { state in
            Self.add(interaction, to: &state, key: key)
            if played { state.playCounts[state.playCounts.count - 1] = 1 }
        }
    }

    /// The recorded interactions never played, with their 0-based positions in the cassette.
    /// Stubs are left out: an answer made in code for a case a test may not reach is not stale.
    public var unplayed: [(index: Int, interaction: Interaction)] {
        state.withLock { state in
            state.playCounts.indices.filter { state.playCounts[$0] == 0 && state.interactions[$0].stub == nil }.map { ($0, state.interactions[$0]) }
        }
    }

    /// The stub that answers `request` (already redacted), if one does, counted as played: for
    /// the modes that skip the recordings (record-all, live), where stubs still answer.
    package func playStub(_ redacted: RecordedRequest) -> Interaction? {
        state.withLock { state in
            guard !state.stubs.isEmpty, let chosen = Self.stub(for: redacted, in: state, configuration) else { return nil }
            state.playCounts[chosen] += 1
            return state.interactions[chosen]
        }
    }

    /// The stubs, in the order they were added.
    package var stubs: [Interaction] { state.withLock { state in state.stubs.map { state.interactions[$0] } } }

    /// The first stub that matches `request` (redacted) and has answers left.
    private static func stub(for request: RecordedRequest, in state: State, _ configuration: MatchConfiguration) -> Int? {
        state.stubs.first { index in
            let stub = state.interactions[index]
            guard let rule = stub.stub else { return false }
            if let times = rule.times, state.playCounts[index] >= times { return false }
            guard configuration.predicate?(request, stub) ?? true else { return false }
            return rule.matchers(in: configuration).allSatisfy { $0.key(request) == $0.key(stub.request) }
        }
    }

    /// `scheme://host` of every recorded request, lower-case.
    public var origins: Set<String> { state.withLock { $0.origins } }

    /// How often each interaction has been played, by position.
    public var playCounts: [Int] { state.withLock { $0.playCounts } }

    private static func add(_ interaction: Interaction, to state: inout State, key: MatchKey) {
        let url = RequestURL(interaction.request.url)
        state.origins.insert("\(url.scheme)://\(url.normalizedHost.split(separator: ":").first.map(String.init) ?? "")")
        if interaction.stub != nil {
            state.stubs.append(state.interactions.count)
        } else {
            state.buckets[key, default: Bucket()].members.append(state.interactions.count)
        }
        state.interactions.append(interaction)
        state.playCounts.append(0)
    }

    /// What `request` (already redacted) is indexed under: requests with equal keys are the ones
    /// replay answers in recorded order.
    package static func key(_ request: RecordedRequest, _ configuration: MatchConfiguration) -> MatchKey {
        let subject = MatchSubject(request)
        var key = MatchKey(capacity: 64 + request.url.utf8.count)
        for (index, matcher) in configuration.matchers.enumerated() {
            if index > 0 { key.append(0x1e) }
            matcher.write(subject, &key)
        }
        return key
    }
}
