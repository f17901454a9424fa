/// What counts as a credential: header names, query parameter names, body fields, and custom
/// rules. Matching names are removed before anything is written, their kind is recorded, and
/// their values are scrubbed everywhere else.
///
/// ```swift
/// let rules = RedactionRules.standard
///     .adding(headers: ["x-internal-token"], queryParameters: ["sig"], bodyFields: ["secret"])
///     .adding(custom: CustomRedaction("session id") { interaction in
///         interaction.request.headers.removeAll(named: "x-session")
///         return []
///     })
/// ```
public struct RedactionRules: Hashable, Sendable {
    /// Header names, lower-case; matched case-insensitively.
    public private(set) var headers: Set<String>
    /// Query parameter names; matched exactly (query names are case-sensitive).
    public private(set) var queryParameters: Set<String>
    /// Field names in JSON bodies (at any depth) and form bodies, lower-case; matched
    /// case-insensitively. The value becomes ``Redactor/placeholder`` and is learned.
    public private(set) var bodyFields: Set<String>
    /// Rules of the caller's own, run first on every interaction.
    public private(set) var custom: [CustomRedaction]

    /// Rules removing exactly these names.
    public init(headers: Set<String>, queryParameters: Set<String>, bodyFields: Set<String> = [], custom: [CustomRedaction] = []) {
        self.headers = Set(headers.map(\.asciiLowercased))
        self.queryParameters = queryParameters
        self.bodyFields = Set(bodyFields.map { $0.lowercased() })
        self.custom = custom
    }

    /// The credentials of the API notes and of well-known LLM gateways:
    /// - headers `Authorization`, `Proxy-Authorization`, `x-api-key` (Anthropic), `x-goog-api-key`
    ///   (Gemini), `api-key` (Azure OpenAI), `Ocp-Apim-Subscription-Key` (Azure API Management),
    ///   `cf-aig-authorization` (Cloudflare AI Gateway), `Helicone-Auth` (Helicone),
    ///   `x-portkey-api-key` and `x-portkey-virtual-key` (Portkey), `Cookie`, `Set-Cookie`;
    /// - query parameters `key` (Gemini), `api_key`, `access_token`, `subscription-key` (Azure API
    ///   Management);
    /// - body fields `api_key`, `access_token`, `client_secret`, `password`.
    public static let standard = RedactionRules(
        headers: ["authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key",
                  "ocp-apim-subscription-key", "cf-aig-authorization", "helicone-auth", "x-portkey-api-key",
                  "x-portkey-virtual-key", "cookie", "set-cookie"],
        queryParameters: ["key", "api_key", "access_token", "subscription-key"],
        bodyFields: ["api_key", "access_token", "client_secret", "password"])

    /// These rules plus more names.
    public func adding(headers: [String] = [], queryParameters: [String] = [], bodyFields: [String] = []) -> RedactionRules {
        var copy = self
        copy.headers.formUnion(headers.map(\.asciiLowercased))
        copy.queryParameters.formUnion(queryParameters)
        copy.bodyFields.formUnion(bodyFields.map { $0.lowercased() })
        return copy
    }

    /// These rules plus custom ones, run in the order given.
    public func adding(custom rules: CustomRedaction...) -> RedactionRules {
        var copy = self
        copy.custom += rules
        return copy
    }

    /// Whether `name` (any case) is a credential header. A short list (the standard one has 12
    /// names) is compared without lower-casing `name`, which would allocate for every header of
    /// every request; a long one is hashed.
    func isCredentialHeader(_ name: String) -> Bool {
        headers.count <= 32 ? headers.contains { $0.equalsIgnoringASCIICase(name) } : headers.contains(name.asciiLowercased)
    }
}

/// A redaction rule of the caller's own: a closure over the whole interaction.
///
/// The closure may change anything in the interaction (remove a header, rewrite a body); every
/// string it returns is learned as a secret, so it is scrubbed wherever it appears from then on,
/// in this interaction and later ones, in every encoded form the redactor knows.
///
/// ```swift
/// let signature = CustomRedaction("aws signature") { interaction in
///     let value = interaction.request.headers["x-amz-security-token"]
///     interaction.request.headers.removeAll(named: "x-amz-security-token")
///     return value.map { [$0] } ?? []
/// }
/// ```
///
/// Two rules are equal when their names are.
public struct CustomRedaction: Hashable, Sendable {
    /// Names the rule (rules are compared by name).
    public let name: String
    let transform: @Sendable (inout Interaction) -> [String]

    /// A rule named `name` that applies `transform` and learns the strings it returns.
    public init(_ name: String, _ transform: @escaping @Sendable (inout Interaction) -> [String]) {
        self.name = name
        self.transform = transform
    }

    public static func == (lhs: CustomRedaction, rhs: CustomRedaction) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
