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
}
