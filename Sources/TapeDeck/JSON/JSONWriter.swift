/// Appends compact JSON to a byte buffer, keys in the order the caller writes them.
///
/// The cassette format depends on this order being fixed, so files are byte-identical for the
/// same interactions. Strings are escaped minimally (quote, backslash, control characters);
/// other UTF-8 passes through unchanged.
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    package mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    package mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    package mutating func int(_ value: Int) { raw(String(value)) }

    /// Writes `"key":`; the caller separates members with ``comma()``.
    package mutating func key(_ name: StaticString) {
        bytes.append(0x22)
        raw(name)
        bytes.append(0x22)
        bytes.append(0x3a)
    }

    package mutating func comma() { bytes.append(0x2c) }

    package mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string($0) }
    }

    package mutating func string(_ utf8: some Collection<UInt8>) {
        if let done: Void = utf8.withContiguousStorageIfAvailable({ string($0) }) { return done }
        string(Array(utf8))
    }

    /// Writes UTF-8 bytes as a JSON string, escaping what JSON requires.
    ///
    /// Unescaped runs are copied whole; an escape is written byte by byte (a list-models body
    /// holds hundreds of quotes, and appending each escape as text cost more than the copying).
    package mutating func string(_ utf8: UnsafeBufferPointer<UInt8>) {
        if bytes.capacity - bytes.count < utf8.count + 2 { bytes.reserveCapacity(bytes.count + utf8.count + 2) }
        bytes.append(0x22)
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5c else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            bytes.append(0x5c)  // backslash
            switch byte {
            case 0x22, 0x5c: bytes.append(byte)
            case 0x0a: bytes.append(0x6e)  // n
            case 0x0d: bytes.append(0x72)  // r
            case 0x09: bytes.append(0x74)  // t
            case 0x08: bytes.append(0x62)  // b
            case 0x0c: bytes.append(0x66)  // f
            default:
                bytes.append(0x75)  // u00XY
                bytes.append(0x30)
                bytes.append(0x30)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xf)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(0x22)
    }

    /// How many bytes ``string(_:)-(UnsafeBufferPointer<UInt8>)`` writes for `utf8`, quotes included.
    package static func escapedSize(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var size = utf8.count + 2
        for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5c {
            switch byte {
            case 0x22, 0x5c, 0x0a, 0x0d, 0x09, 0x08, 0x0c: size += 1
            default: size += 5
            }
        }
        return size
    }

    /// Writes `value` back as compact JSON; with `sortingKeys`, object keys in byte order
    /// (the canonical form used to compare JSON bodies as JSON).
    package mutating func value(_ value: JSONValue, sortingKeys: Bool = false) {
        // Numbers are normalised only in the canonical (sorted) form.
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .number(let text): raw(sortingKeys ? Self.canonicalNumber(text) : text)
        case .string(let utf8): string(utf8)
        case .array(let elements):
            bytes.append(0x5b)
            for (index, element) in elements.enumerated() {
                if index > 0 { comma() }
                self.value(element, sortingKeys: sortingKeys)
            }
            bytes.append(0x5d)
        case .object(let members):
            bytes.append(0x7b)
            let ordered = sortingKeys ? Self.byKey(members) : members
            for (index, member) in ordered.enumerated() {
                if index > 0 { comma() }
                string(member.key)
                bytes.append(0x3a)
                self.value(member.value, sortingKeys: sortingKeys)
            }
            bytes.append(0x7d)
        }
    }

    /// `members` with their keys in byte order: the order of every sorted form (canonical,
    /// canonical with skipped fields, indented).
    static func byKey(_ members: [JSONValue.Member]) -> [JSONValue.Member] {
        members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// `1`, `1.0` and `1e0` are the same JSON number; integers keep their digits.
    private static func canonicalNumber(_ text: String) -> String {
        if Int(text) != nil { return text }
        guard let double = Double(text) else { return text }
        if double == double.rounded(), abs(double) < 1e15 { return String(Int(double)) }
        return String(double)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
