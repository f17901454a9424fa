/// A parsed JSON value, as the cassette reader sees it.
///
/// Strings keep their unescaped UTF-8 bytes, so a body stored as a string becomes bytes with one
/// copy; objects keep their keys in file order.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// A number, as written (validated against the JSON grammar).
    case number(String)
    /// A string's unescaped UTF-8 bytes.
    case string([UInt8])
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` of an object. A struct rather than a tuple: arrays of tuples are
    /// destroyed through run-time type metadata, a measurable cost over a whole cassette.
    package struct Member: Sendable {
        package var key: String
        package var value: JSONValue
    }

    /// The value under `key` if this is an object that has it.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// Sets `key` to `value` in an object: replaces the member that has the key, or appends one.
    /// Does nothing to a value that is not an object.
    package mutating func set(_ key: String, _ value: JSONValue) {
        guard case .object(var members) = self else { return }
        if let index = members.firstIndex(where: { $0.key == key }) { members[index].value = value } else {
            members.append(Member(key: key, value: value))
        }
        self = .object(members)
    }

    /// The string's text, if this is a string.
    package var string: String? {
        guard case .string(let bytes) = self else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number as an `Int`, if this is an integer that fits.
    package var int: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text)
    }

    /// The elements, if this is an array.
    package var array: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// Whether this is an object or an array.
    package var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }

    /// A short name of the value's type, for error messages.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
