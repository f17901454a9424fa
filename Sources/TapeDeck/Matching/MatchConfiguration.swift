/// How a live request is matched against recorded ones, and what happens when the matching
/// answers run out.
///
/// ```swift
/// var configuration = MatchConfiguration.standard
/// configuration.matchers.removeAll { $0.name == "body" }           // ignore bodies
/// configuration.predicate = { request, recorded in                  // and a custom check
///     request.headers["x-trace"] == nil || recorded.response.status == 200
/// }
/// configuration.whenExhausted = .fail
/// ```
public struct MatchConfiguration: Sendable {
    /// What happens when a request has used up every recorded answer that matches it.
    public enum Exhaustion: Sendable, Hashable {
        /// The last matching answer is given again (the default, as most VCR tools do).
        case repeatLast
        /// The request fails with ``TapeDeckError/Kind/exhausted``.
        case fail
    }

    /// The parts compared; a request matches an interaction when every part agrees.
    public var matchers: [RequestMatcher]
    /// An extra check on each candidate that the parts let through.
    public var predicate: (@Sendable (RecordedRequest, Interaction) -> Bool)?
    /// What happens after the last matching answer.
    public var whenExhausted: Exhaustion
    /// The credential names removed from a live request before it is compared (so a live
    /// request and its recorded twin carry the same credential kinds).
    public var redaction: RedactionRules

    /// A configuration.
    public init(matchers: [RequestMatcher] = MatchConfiguration.defaultMatchers,
                predicate: (@Sendable (RecordedRequest, Interaction) -> Bool)? = nil,
                whenExhausted: Exhaustion = .repeatLast,
                redaction: RedactionRules = .standard) {
        self.matchers = matchers
        self.predicate = predicate
        self.whenExhausted = whenExhausted
        self.redaction = redaction
    }

    /// Method, scheme, host, path, query, credential kinds, the `anthropic-version` header, body.
    public static let defaultMatchers: [RequestMatcher] = [
        .method, .scheme, .host, .path, .query, .credentialKinds, .headers(["anthropic-version"]), .body,
    ]

    /// The default matchers, repeating the last answer, standard redaction rules.
    public static let standard = MatchConfiguration()

    /// The JSON body fields left out of matching by ``ignoringBodyFields(_:)``, as given.
    public private(set) var ignoredBodyFields: [String] = []

    /// This configuration with the JSON body fields `paths` name left out of body matching and
    /// out of the miss report's body diff: what varies from run to run (a user id, a
    /// timestamp, a trace id in the prompt). A recording still stores the whole body.
    ///
    /// ```swift
    /// let matching = MatchConfiguration.standard.ignoringBodyFields(["user", "metadata.trace_id", "messages[*].id"])
    /// ```
    ///
    /// - Parameter paths: a bare name (`user`: that key at any depth), or a path from the top
    ///   with `.` between keys, `[*]` for every element of an array and `[N]` for one. A path
    ///   that does not parse is left out, with a warning from ``invalidIgnoredBodyFields``.
    /// - Returns: the configuration with the `body` matcher comparing what is left.
    public func ignoringBodyFields(_ paths: [String]) -> MatchConfiguration {
        var changed = self
        changed.ignoredBodyFields += paths
        let parsed = changed.ignoredBodyFields.compactMap(JSONFieldPath.init)
        changed.matchers = matchers.map { $0.name == "body" ? .body(ignoring: parsed) : $0 }
        return changed
    }

    /// The ignored body fields that are not paths (they ignore nothing).
    public var invalidIgnoredBodyFields: [String] { ignoredBodyFields.filter { JSONFieldPath($0) == nil } }

    /// The ignored body fields that name no field of any JSON body among `requests`: likely typos.
    package func unmatchedIgnoredBodyFields(in requests: [RecordedRequest]) -> [String] {
        let bodies = requests.compactMap { $0.body.flatMap { try? JSONParser.parse($0) } }
        return ignoredBodyFields.filter { text in
            guard let path = JSONFieldPath(text) else { return false }
            return !bodies.contains { path.matches(in: $0) }
        }
    }
}
