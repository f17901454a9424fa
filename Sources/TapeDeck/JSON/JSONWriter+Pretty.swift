// The indented form people read (`tapedeck show`, `status --json`, HAR files, drift reports).

extension JSONWriter {
    /// Writes `value` indented two spaces a level, `"key" : value` as Foundation's
    /// `JSONSerialization` prints it, object keys in byte order when `sortingKeys`. Numbers stay
    /// as written; `/` is never escaped.
    package mutating func pretty(_ value: JSONValue, sortingKeys: Bool = true, level: Int = 0) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            raw("[\n")
            for (index, element) in elements.enumerated() {
                if index > 0 { raw(",\n") }
                indent(level + 1)
                pretty(element, sortingKeys: sortingKeys, level: level + 1)
            }
            raw("\n")
            indent(level)
            raw("]")
        case .object(let members) where !members.isEmpty:
            raw("{\n")
            let ordered = sortingKeys ? Self.byKey(members) : members
            for (index, member) in ordered.enumerated() {
                if index > 0 { raw(",\n") }
                indent(level + 1)
                string(member.key)
                raw(" : ")
                pretty(member.value, sortingKeys: sortingKeys, level: level + 1)
            }
            raw("\n")
            indent(level)
            raw("}")
        default:
            self.value(value)
        }
    }

    private mutating func indent(_ level: Int) {
        for _ in 0..<level { raw("  ") }
    }
}

extension JSONValue {
    /// The indented JSON text of this value (``JSONWriter/pretty(_:sortingKeys:level:)``), keys sorted.
    package var prettyText: String {
        var writer = JSONWriter(capacity: 1024)
        writer.pretty(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
