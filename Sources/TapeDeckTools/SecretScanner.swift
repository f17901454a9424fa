import Foundation
package import TapeDeck

/// Looks for credentials that slipped into a cassette: known key shapes anywhere, long
/// high-entropy values in header values and query parameters, and long hex or random values in
/// headers and parameters whose names suggest a credential (`key`, `token`, `secret`, `auth`,
/// `signature`, `subscription`).
///
/// Bodies are searched as stored and in what they hide: a binary body that is gzip, zlib or raw
/// deflate is inflated, and base64 runs in a text body are decoded (and inflated in turn), so a
/// key an upstream echoed inside an encoded payload is found too. A body the recorder could not
/// decode (``RecordedResponse/undecodedEncoding``) is reported as such: it was never scrubbed.
package struct SecretScanner: Sendable {
    /// One suspicious value.
    package struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// 1-based interaction number.
        package var interaction: Int
        /// Where: `request.url`, `request.header x-debug`, `response.body`, ...
        package var place: String
        /// What it looks like: `OpenAI/DeepSeek key`, `JWT`, ...
        package var kind: String
        /// The value with its middle masked.
        package var excerpt: String

        package var description: String { "interaction #\(interaction): \(place): \(kind): \(excerpt)" }
    }

    private static let shapes: [(kind: String, pattern: String)] = [
        ("Anthropic key", #"sk-ant-[A-Za-z0-9_\-]{12,}"#),
        ("OpenAI/DeepSeek key", #"sk-(?!ant-)[A-Za-z0-9_\-]{16,}"#),
        ("Google API key", #"AIza[0-9A-Za-z_\-]{30,}"#),
        ("JWT", #"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#),
        ("bearer token", #"[Bb]earer +[A-Za-z0-9._~+/\-]{12,}=*"#),
    ]
    private let expressions: [(kind: String, regex: NSRegularExpression)]

    package init() {
        expressions = Self.shapes.map { ($0.kind, try! NSRegularExpression(pattern: $0.pattern)) }
    }

    /// Every finding in `cassette`, in interaction order.
    package func scan(_ cassette: Cassette) -> [Finding] {
        var findings: [Finding] = []
        for (index, interaction) in cassette.interactions.enumerated() {
            let number = index + 1
            let request = interaction.request, response = interaction.response
            var places: [(String, String, Bool)] = [("request.url", request.url, false)]
            places += request.headers.map { ("request.header \($0.name)", $0.value, true) }
            places += queryValues(request.url).map { ("request.query \($0.name)", $0.value, true) }
            if let body = request.body { places += BodyLayers.texts(of: body).map { ("request.body" + $0.layer, $0.text, false) } }
            places += response.headers.map { ("response.header \($0.name)", $0.value, true) }
            places += BodyLayers.texts(of: response.body).map { ("response.body" + $0.layer, $0.text, false) }
            for (place, text, checkEntropy) in places {
                findings += scan(text, place: place, interaction: number, checkEntropy: checkEntropy)
            }
            for (place, name, value) in request.headers.map({ ("request.header \($0.name)", $0.name, $0.value) })
                + queryValues(request.url).map({ ("request.query \($0.name)", $0.name, $0.value) })
                + response.headers.map({ ("response.header \($0.name)", $0.name, $0.value) })
            where Self.suggestsCredential(name) && !findings.contains(where: { $0.interaction == number && $0.place == place }) {
                findings += credentialNamed(value, place: place, interaction: number)
            }
            if let encoding = response.undecodedEncoding {
                findings.append(Finding(interaction: number, place: "response.body", kind: "body stored undecoded (\(encoding)), never scrubbed",
                                        excerpt: "\(response.body.count) bytes"))
            }
        }
        return findings
    }

    func scan(_ text: String, place: String, interaction: Int, checkEntropy: Bool) -> [Finding] {
        var found: [Finding] = []
        var covered: [Range<String.Index>] = []
        let whole = NSRange(text.startIndex..., in: text)
        for (kind, regex) in expressions {
            for match in regex.matches(in: text, range: whole) {
                guard let range = Range(match.range, in: text), !covered.contains(where: { $0.overlaps(range) }) else { continue }
                let value = String(text[range])
                if value.contains(Redactor.placeholder) { continue }
                covered.append(range)
                found.append(Finding(interaction: interaction, place: place, kind: kind, excerpt: Self.mask(value)))
            }
        }
        if checkEntropy, found.isEmpty {
            for token in text.split(whereSeparator: { " ;,=\"'".contains($0) }) where Self.looksRandom(token) {
                found.append(Finding(interaction: interaction, place: place, kind: "high-entropy value", excerpt: Self.mask(String(token))))
            }
        }
        return found
    }

    /// Header and parameter names that say they carry a credential.
    static func suggestsCredential(_ name: String) -> Bool {
        let lower = name.asciiLowercased
        return ["key", "token", "secret", "auth", "signature", "subscription"].contains { lower.contains($0) }
    }

    /// A value under a credential-like name: 32+ hex digits, or 16+ key-like characters that
    /// look random (a lower bar than for any other header).
    func credentialNamed(_ value: String, place: String, interaction: Int) -> [Finding] {
        let words = value.split(whereSeparator: { " ;,=\"'".contains($0) })
        guard let token = words.last, !token.contains(Redactor.placeholder) else { return [] }
        if token.count >= 32, token.allSatisfy(\.isHexDigit) {
            return [Finding(interaction: interaction, place: place, kind: "hex value under a credential name", excerpt: Self.mask(String(token)))]
        }
        if Self.looksRandom(token, minimumLength: 16, minimumEntropy: 3.5) {
            return [Finding(interaction: interaction, place: place, kind: "random value under a credential name", excerpt: Self.mask(String(token)))]
        }
        return []
    }

    private func queryValues(_ url: String) -> [(name: String, value: String)] {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : "")
        }
    }

    /// 24 characters or more of a key-like alphabet, mixing letters and digits, with at least
    /// 4.2 bits of entropy per character (hex digests, at most 4.0, pass).
    static func looksRandom(_ token: Substring, minimumLength: Int = 24, minimumEntropy: Double = 4.2) -> Bool {
        guard token.count >= minimumLength, token.allSatisfy({ $0.isLetter || $0.isNumber || "-_+/.".contains($0) }),
              token.contains(where: \.isNumber), token.contains(where: \.isLetter) else { return false }
        var counts: [Character: Int] = [:]
        for character in token { counts[character, default: 0] += 1 }
        let total = Double(token.count)
        let entropy = counts.values.reduce(0.0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
        return entropy >= minimumEntropy
    }

    /// `sk-abcd…wxyz (40 chars)`: enough to find it, not enough to use it.
    static func mask(_ value: String) -> String {
        guard value.count > 10 else { return String(repeating: "*", count: value.count) }
        return "\(value.prefix(6))…\(value.suffix(4)) (\(value.count) chars)"
    }
}
