// Literals for JSON made in code (the stubs' answers): objects keep the order they are written in.

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    package init(stringLiteral value: String) { self = .text(value) }
    package init(integerLiteral value: Int) { self = .number(String(value)) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(nilLiteral: ()) { self = .null }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }

    /// A string value holding `text`.
    package static func text(_ text: String) -> JSONValue { .string(Array(text.utf8)) }

    /// An integer value.
    package static func integer(_ value: Int) -> JSONValue { .number(String(value)) }

    /// A string value holding `text`, or `null` when there is none.
    package static func text(orNull text: String?) -> JSONValue { text.map(JSONValue.text) ?? .null }

    /// An array of string values.
    package static func texts(_ list: some Sequence<String>) -> JSONValue { .array(list.map(JSONValue.text)) }

    /// The compact JSON text of this value, keys in the order they were written.
    package var encoded: [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.value(self)
        return writer.bytes
    }
}

extension JSONValue {
    /// An object's members, for building one step by step.
    package typealias Members = [Member]
}

