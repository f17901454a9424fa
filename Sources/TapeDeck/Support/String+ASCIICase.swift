/// The one rule for the case of the protocol's names and tokens (header names, methods, schemes,
/// hosts, codings, media types, `close`, `100-continue`), used everywhere in TapeDeck: only the
/// letters `A`–`Z` and `a`–`z` change; every other byte, non-ASCII ones included, stays as it
/// is. The one exception is `String.asciiLowercased` on a name that holds non-ASCII text
/// (an internationalised host such as `ÄPI.example`), which is lower-cased the standard
/// library's way. Body field names are JSON text, not protocol tokens: redaction lower-cases
/// them with `lowercased()`.
package extension UInt8 {
    /// The byte with an ASCII upper-case letter made lower-case.
    var asciiLowercased: UInt8 { self &- UInt8(ascii: "A") < 26 ? self | 0x20 : self }

    /// The byte with an ASCII lower-case letter made upper-case.
    var asciiUppercased: UInt8 { self &- UInt8(ascii: "a") < 26 ? self & ~0x20 : self }
}

package extension String {
    /// ASCII letters lower-cased without Foundation; a string with none to change is returned
    /// as it is, and one holding non-ASCII text is lower-cased the standard library's way.
    /// For names on the hot path of matching and redaction (header names, schemes, hosts).
    var asciiLowercased: String {
        guard utf8.contains(where: { $0.asciiLowercased != $0 }) else { return self }
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return lowercased() }
        return String(decoding: utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// ASCII letters upper-cased, the same way as ``asciiLowercased``.
    var asciiUppercased: String {
        guard utf8.contains(where: { $0.asciiUppercased != $0 }) else { return self }
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return uppercased() }
        return String(decoding: utf8.map(\.asciiUppercased), as: UTF8.self)
    }
}

package extension StringProtocol {
    /// Whether the two spell the same text when ASCII letters are compared without case, byte for
    /// byte (anything else must be equal as it is): header names, schemes, auth schemes. Nothing
    /// is allocated.
    func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8) { $0.asciiLowercased == $1.asciiLowercased }
    }
}
