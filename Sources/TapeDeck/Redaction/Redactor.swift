import Foundation

/// Removes credentials from interactions before they are written, and remembers every
/// credential value it has seen so that value is scrubbed wherever else it shows up.
///
/// Custom rules run first. Credential headers and query parameters (``RedactionRules``) are
/// dropped and credential body fields replaced, and their kind is recorded
/// (`header:authorization`, `query:key`, `body:password`). Then every value seen so far in this
/// session is replaced by ``placeholder`` in the URL, the other headers and both bodies, so a key
/// that an upstream echoes in an error body never reaches disk either. A value is searched for
/// as written, without its scheme (`Bearer `), and in every form an echo may wrap it in:
/// percent-encoded (partly or fully), JSON-escaped (`\/`, or every character as `\uXXXX`) and
/// base64 (standard and URL-safe, at each of the three alignments). A `Basic` credential also
/// teaches the decoded `user:password` and the password.
///
/// ```swift
/// var redactor = Redactor(rules: .standard.adding(headers: ["x-team-token"]))
/// let safe = redactor.redact(interaction)
/// try appender.append(safe)
/// ```
///
/// Values shorter than ``minimumSecretLength`` bytes are dropped with their header but not
/// searched for elsewhere: replacing every `"a1"` in a body would destroy it.
public struct Redactor: Sendable {
    /// What stands where a credential value was found.
    public static let placeholder = "REDACTED"
    static let placeholderBytes = Array(placeholder.utf8)
    /// The shortest value that is searched for outside its own header or parameter.
    public static let minimumSecretLength = 8

    /// The names treated as credentials.
    public var rules: RedactionRules
    /// Every credential value seen so far, in the order first seen.
    public private(set) var secrets: [String] = []
    /// Every form of every secret, ready for searching (rebuilt only when a scrub follows new
    /// secrets).
    // Internal, not private: scrubbing with them is `Redactor+Scrubbing.swift`.
    var needles = ByteReplacement.Needles.none
    var needlesAreStale = false
    let forms: SecretForms.Cache?

    /// A redactor with no values learned yet.
    public init(rules: RedactionRules = .standard) {
        self.rules = rules
        forms = nil
    }

    /// A redactor that takes the forms of each secret from `forms` (a player redacts every live
    /// request with a fresh redactor, mostly learning the same few keys).
    init(rules: RedactionRules, forms: SecretForms.Cache) {
        self.rules = rules
        self.forms = forms
    }

    /// Treats `value` as a credential from now on, wherever it appears, in any of its forms.
    public mutating func learn(_ value: String) {
        let trimmed = Self.trimmed(value)
        guard trimmed.utf8.count >= Self.minimumSecretLength, trimmed != Self.placeholder, !secrets.contains(trimmed) else { return }
        secrets.append(trimmed)
        needlesAreStale = true
    }

    /// `text` with every credential this redactor knows, in any form it knows, replaced by the
    /// placeholder: for messages and reports printed where a key must never appear.
    package mutating func scrubbed(_ text: String) -> String {
        prepareNeedles()
        return needles.isEmpty ? text : scrub(text)
    }

    /// `value` without surrounding white space; without Foundation when there is none.
    static func trimmed(_ value: String) -> String {
        guard let first = value.utf8.first, let last = value.utf8.last else { return value }
        let plain = { (byte: UInt8) in byte > 0x20 && byte < 0x80 }
        return plain(first) && plain(last) ? value : value.trimmingCharacters(in: .whitespaces)
    }

    /// The interaction with credentials removed and every known credential value scrubbed.
    public mutating func redact(_ interaction: Interaction) -> Interaction {
        var interaction = interaction
        for rule in rules.custom { rule.transform(&interaction).forEach { learn($0) } }
        var request = interaction.request
        var response = interaction.response
        removeCredentials(from: &request)
        response.redacted = merge(response.redacted, removeHeaders(from: &response.headers))
        let fieldKinds = removeBodyFields(from: &response.body, headers: &response.headers)
        if !fieldKinds.isEmpty {
            // The body was rewritten as a whole: its old chunk boundaries no longer apply.
            response.chunks = nil
            response.redacted = merge(response.redacted, fieldKinds)
        }
        prepareNeedles()
        scrub(&request)
        scrub(&response)
        return Interaction(request: request, response: response)
    }

    /// The request with credentials removed and known values scrubbed; its ``RecordedRequest/redacted``
    /// lists the kinds it carried. This is how a live request is compared with recorded ones.
    /// Custom rules see it inside an interaction with an empty `200` response.
    public mutating func redact(_ request: RecordedRequest) -> RecordedRequest {
        var request = request
        if !rules.custom.isEmpty {
            var wrapped = Interaction(request: request, response: RecordedResponse(status: 200))
            for rule in rules.custom { rule.transform(&wrapped).forEach { learn($0) } }
            request = wrapped.request
        }
        removeCredentials(from: &request)
        prepareNeedles()
        scrub(&request)
        return request
    }

    private mutating func removeCredentials(from request: inout RecordedRequest) {
        request.redacted = merge(request.redacted, removeHeaders(from: &request.headers))
        request.redacted = merge(request.redacted, removeQueryCredentials(from: &request.url))
        if var body = request.body {
            let kinds = removeBodyFields(from: &body, headers: &request.headers)
            request.body = body
            request.redacted = merge(request.redacted, kinds)
        }
    }

    private mutating func removeBodyFields(from body: inout Data, headers: inout HTTPHeaders) -> [CredentialKind] {
        guard let outcome = BodyFieldRedaction.redact(body, contentType: headers["Content-Type"], fields: rules.bodyFields) else { return [] }
        outcome.values.forEach { learn($0) }
        body = outcome.body
        Self.correctLength(of: &headers, to: body.count)
        return outcome.kinds
    }

    // MARK: - Removing

    private mutating func removeHeaders(from headers: inout HTTPHeaders) -> [CredentialKind] {
        var kinds: [CredentialKind] = []
        headers.removeAll { header in
            guard rules.isCredentialHeader(header.name) else { return false }
            kinds.append(.header(header.name))
            learnHeaderValue(header)
            return true
        }
        return kinds
    }

    /// Learns a credential sent as `name: value` in every form the redactor knows: the value, the
    /// token after its scheme (`Bearer KEY`), a Basic pair decoded and its password, each cookie's
    /// value. The one rule for headers seen in traffic and for credentials given on a command line.
    package mutating func learnCredential(named name: String, value: String) {
        learnHeaderValue(HTTPHeader(name: name, value: value))
    }

    private mutating func learnHeaderValue(_ header: HTTPHeader) {
        let value = Self.trimmed(header.value)
        learn(value)
        // `Bearer sk-...`, `Basic ...`: the token after the scheme.
        if let space = value.utf8.firstIndex(of: UInt8(ascii: " ")) {
            let token = Self.trimmed(String(value[value.utf8.index(after: space)...]))
            learn(token)
            // Basic: base64 of `user:password`; an upstream may echo either decoded.
            if value[..<space].equalsIgnoringASCIICase("basic"), let decoded = Data(base64Encoded: token),
               let pair = String(data: decoded, encoding: .utf8) {
                learn(pair)
                if let colon = pair.firstIndex(of: ":") { learn(String(pair[pair.index(after: colon)...])) }
            }
        }
        // Cookies: each cookie's value (Set-Cookie: the part before the attributes).
        let isCookie = header.name.equalsIgnoringASCIICase("cookie")
        if isCookie || header.name.equalsIgnoringASCIICase("set-cookie") {
            let pairs = isCookie ? value.split(separator: ";") : Array(value.split(separator: ";").prefix(1))
            for pair in pairs {
                if let equals = pair.firstIndex(of: "=") { learn(String(pair[pair.index(after: equals)...])) }
            }
        }
    }

    private mutating func removeQueryCredentials(from url: inout String) -> [CredentialKind] {
        guard RequestURL.queryMayName(url, rules.queryParameters) else { return [] }
        let (cleaned, removed) = RequestURL.removingQueryItems(from: url) { rules.queryParameters.contains($0) }
        for item in removed {
            learn(item.value)
            learn(item.raw)
        }
        url = cleaned
        return removed.map { .query($0.name) }
    }

    private func merge(_ existing: [CredentialKind], _ added: [CredentialKind]) -> [CredentialKind] {
        var result = existing
        for kind in added where !result.contains(kind) { result.append(kind) }
        return result
    }
}
