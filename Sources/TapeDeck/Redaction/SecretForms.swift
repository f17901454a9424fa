/// The byte sequences under which a secret can reach a file: as written, and in the encodings an
/// upstream or a client may wrap it in when echoing it (percent-encoding, JSON escapes, base64).
enum SecretForms {
    /// The forms of recently seen secrets, so a key sent with every request is expanded once.
    /// Bounded: past its size it starts again empty.
    final class Cache: Sendable {
        private let entries = Locked<[[String]: ByteReplacement.Needles]>([:])
        private let limit: Int

        init(limit: Int = 64) { self.limit = limit }

        /// `SecretForms.needles(for:)` of `secrets`, made once per set: a
        /// player's live requests mostly carry the same one or two keys.
        func needles(for secrets: [String]) -> ByteReplacement.Needles {
            if let known = entries.withLock({ $0[secrets] }) { return known }
            let made = SecretForms.needles(for: secrets)
            entries.withLock { entries in
                if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
                entries[secrets] = made
            }
            return made
        }
    }

    /// Every form of every one of `secrets` (in the order learned), ready for searching.
    static func needles(for secrets: [String]) -> ByteReplacement.Needles {
        var forms: [[UInt8]] = []
        for secret in secrets {
            for form in needles(for: Array(secret.utf8)) where !forms.contains(form) { forms.append(form) }
        }
        return ByteReplacement.Needles(forms)
    }

    /// Every form of `secret` to search for, the secret itself first.
    static func needles(for secret: [UInt8]) -> [[UInt8]] {
        var forms: [[UInt8]] = [secret]
        func add(_ form: [UInt8]) {
            if !form.isEmpty, !forms.contains(form) { forms.append(form) }
        }
        add(percentEncoded(secret, all: false, upper: true))
        add(percentEncoded(secret, all: true, upper: true))
        add(percentEncoded(secret, all: true, upper: false))
        add(jsonEscaped(secret, slash: false))
        add(jsonEscaped(secret, slash: true))
        add(unicodeEscaped(secret, upper: false))
        add(unicodeEscaped(secret, upper: true))
        for alignment in 0..<3 {
            let core = base64Core(secret, alignment: alignment)
            add(core)
            add(core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 })
        }
        return forms
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `%XX` for every byte (`all`), or only for bytes outside RFC 3986's unreserved set.
    static func percentEncoded(_ bytes: [UInt8], all: Bool, upper: Bool) -> [UInt8] {
        let digits = upper ? hex : lowerHex
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if !all, isUnreserved(byte) { out.append(byte); continue }
            out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xf)]]
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// The secret inside a JSON string as an encoder writes it: `"` and `\` escaped, control
    /// bytes as `\u00XX`, and (as Apple's JSONSerialization does) `/` as `\/` when `slash`.
    static func jsonEscaped(_ bytes: [UInt8], slash: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "/") where slash: out += [UInt8(ascii: "\\"), byte]
            case 0..<0x20: out += Array("\\u00".utf8) + [lowerHex[Int(byte >> 4)], lowerHex[Int(byte & 0xf)]]
            default: out.append(byte)
            }
        }
        return out
    }

    /// Every character as a `\uXXXX` JSON escape (UTF-16 code units, surrogate pairs above
    /// U+FFFF), the way some encoders write non-ASCII or "safe" output.
    static func unicodeEscaped(_ bytes: [UInt8], upper: Bool) -> [UInt8] {
        let digits = upper ? hex : lowerHex
        var out: [UInt8] = []
        for unit in String(decoding: bytes, as: UTF8.self).utf16 {
            out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
            for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int((unit >> UInt16(shift)) & 0xf)]) }
        }
        return out
    }

    private static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 characters that depend only on the secret when it starts `alignment` bytes
    /// into a 3-byte group of a longer encoded text: whatever surrounds it, an encoding of text
    /// that holds the secret at such an offset holds these characters.
    static func base64Core(_ bytes: [UInt8], alignment: Int) -> [UInt8] {
        let padded = [UInt8](repeating: 0, count: alignment) + bytes + [0, 0, 0]
        var characters: [UInt8] = []
        var index = 0
        while index + 3 <= padded.count {
            let group = Int(padded[index]) << 16 | Int(padded[index + 1]) << 8 | Int(padded[index + 2])
            for shift in [18, 12, 6, 0] { characters.append(base64Alphabet[(group >> shift) & 63]) }
            index += 3
        }
        // Character i covers bits [6i, 6i + 6); the secret covers bits [8a, 8a + 8n).
        let firstBit = 8 * alignment, endBit = 8 * (alignment + bytes.count)
        let first = (firstBit + 5) / 6, end = endBit / 6
        guard end > first else { return [] }
        return Array(characters[first..<end])
    }
}
