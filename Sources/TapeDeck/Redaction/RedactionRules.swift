/// Which headers and query parameters carry credentials. Matching names are removed before
/// anything is written, their kind is recorded, and their values are scrubbed everywhere else.
///
/// ```swift
/// let rules = RedactionRules.standard.adding(headers: ["x-internal-token"], queryParameters: ["sig"])
/// ```
public struct RedactionRules: Hashable, Sendable {
    /// Header names, lower-case; matched case-insensitively.
    public private(set) var headers: Set<String>
    /// Query parameter names; matched exactly (query names are case-sensitive).
    public private(set) var queryParameters: Set<String>

    /// Rules removing exactly these names.
    public init(headers: Set<String>, queryParameters: Set<String>) {
        self.headers = Set(headers.map { $0.lowercased() })
        self.queryParameters = queryParameters
    }

    /// The credentials of the API notes: `Authorization`, `Proxy-Authorization`, `x-api-key`
    /// (Anthropic), `x-goog-api-key` (Gemini), `api-key` (Azure OpenAI), `Cookie`, `Set-Cookie`;
    /// the query parameters `key` (Gemini), `api_key` and `access_token`.
    public static let standard = RedactionRules(
        headers: ["authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie", "set-cookie"],
        queryParameters: ["key", "api_key", "access_token"])

    /// These rules plus more names.
    public func adding(headers: [String] = [], queryParameters: [String] = []) -> RedactionRules {
        var copy = self
        copy.headers.formUnion(headers.map { $0.lowercased() })
        copy.queryParameters.formUnion(queryParameters)
        return copy
    }

    func isCredentialHeader(_ name: String) -> Bool { headers.contains(name.lowercased()) }
}
