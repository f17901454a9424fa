package extension String {
    /// ASCII letters lower-cased without Foundation; a string with none to change is returned
    /// as it is, and one holding non-ASCII text is lower-cased the standard library's way.
    /// For names on the hot path of matching and redaction (header names, schemes, hosts).
    var asciiLowercased: String {
        guard utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return self }
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return lowercased() }
        return String(decoding: utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// ASCII letters upper-cased, the same way as ``asciiLowercased``.
    var asciiUppercased: String {
        guard utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return self }
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return uppercased() }
        return String(decoding: utf8.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}

package extension StringProtocol {
    /// Whether the two spell the same text when ASCII letters are compared without case, byte for
    /// byte (anything else must be equal as it is): header names, schemes, auth schemes. Nothing
    /// is allocated.
    func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8) { mine, theirs in
            mine == theirs || (mine | 0x20 == theirs | 0x20 && (mine | 0x20) &- UInt8(ascii: "a") < 26)
        }
    }
}
