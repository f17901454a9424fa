/// How an answer made in code (a stub, see ``Stub``) is matched, and how often it answers.
///
/// A stub is matched on the parts it names, by the same definitions the matchers use, and
/// before the recorded interactions: the first stub, in the order they were added, that
/// matches a request and has answers left answers it. A stub answers every matching request
/// unless ``times`` limits it; it never counts as unplayed.
///
/// ```swift
/// let rateLimited = try Stub.error(.anthropic, status: 429, retryAfter: 2).answering(times: 1)
/// // rateLimited.stub == StubRule(parts: [.method, .path], times: 1)
/// ```
public struct StubRule: Hashable, Sendable {
    /// A part of the request a stub can be matched on.
    public enum Part: String, CaseIterable, Hashable, Sendable {
        /// The method, e.g. `POST`.
        case method
        /// `http` or `https`.
        case scheme
        /// The host and port.
        case host
        /// The path without the query.
        case path
        /// The query parameters, in any order.
        case query
        /// The body (as JSON when both are JSON, honouring the ignored body fields).
        case body
    }

    /// The parts compared; method and path by default.
    public var parts: [Part]
    /// How many requests it answers at most; `nil` for every one.
    public var times: Int?

    /// A rule.
    ///
    /// - Parameters:
    ///   - parts: the parts of the request compared.
    ///   - times: how many requests it answers at most (`nil`: no limit).
    public init(parts: [Part] = [.method, .path], times: Int? = nil) {
        self.parts = parts
        self.times = times
    }

    /// Matched on method and path, answering every time: what a stub gets unless told otherwise.
    public static let methodAndPath = StubRule()

    /// The matchers for `parts`: the configuration's own (so an ignored body field stays ignored),
    /// else the preset of that name.
    package func matchers(in configuration: MatchConfiguration) -> [RequestMatcher] {
        parts.map { part in
            configuration.matchers.first { $0.name == part.rawValue } ?? Self.preset(part)
        }
    }

    private static func preset(_ part: Part) -> RequestMatcher {
        switch part {
        case .method: .method
        case .scheme: .scheme
        case .host: .host
        case .path: .path
        case .query: .query
        case .body: .body
        }
    }
}
