/// Which credential a request or response carried: the header or query parameter's name,
/// never its value. Written in a cassette as `header:authorization`, `query:key` or
/// `body:password` (a field of a JSON or form body).
///
/// Matching compares kinds, which is how one cassette holds a gateway's OpenAI, Gemini and
/// Anthropic answers to the same `GET /v1/models`.
public struct CredentialKind: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The written form, e.g. `header:x-goog-api-key`.
    public let rawValue: String

    /// A kind from its written form (`header:NAME`, `query:NAME` or `body:NAME`); `nil` for anything else.
    public init?(rawValue: String) {
        guard rawValue.hasPrefix("header:") || rawValue.hasPrefix("query:") || rawValue.hasPrefix("body:") else { return nil }
        self.rawValue = rawValue
    }

    private init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// A credential sent in the header `name` (stored lower-case).
    public static func header(_ name: String) -> CredentialKind { CredentialKind(unchecked: "header:" + name.asciiLowercased) }

    /// A credential sent in the query parameter `name`.
    public static func query(_ name: String) -> CredentialKind { CredentialKind(unchecked: "query:" + name) }

    /// A credential sent in the body field `name` (stored lower-case).
    public static func body(_ name: String) -> CredentialKind { CredentialKind(unchecked: "body:" + name.lowercased()) }

    public var description: String { rawValue }

    public static func < (lhs: CredentialKind, rhs: CredentialKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
