import Foundation

/// Credential fields inside bodies: JSON objects at any depth, and form-encoded bodies.
enum BodyFieldRedaction {
    /// A body with its credential fields replaced.
    struct Outcome {
        var body: Data
        /// `body:NAME` for each field name found, in order.
        var kinds: [CredentialKind]
        /// The values removed, to be learned as secrets.
        var values: [String]
    }

    /// `body` with the value of every field named in `fields` replaced by the placeholder, or
    /// `nil` when there was nothing to replace (the body is then kept byte for byte).
    static func redact(_ body: Data, contentType: String?, fields: Set<String>) -> Outcome? {
        guard !fields.isEmpty, !body.isEmpty else { return nil }
        let type = contentType?.asciiLowercased ?? ""
        if type.contains("x-www-form-urlencoded") { return redactForm(body, fields: fields) }
        guard type.contains("json") || looksLikeJSON(body) else { return nil }
        guard mayName(body, fields) else { return nil }
        return redactJSON(body, fields: fields)
    }

    /// Whether `body` can hold a key named by one of `fields`: it holds the name in some mix of
    /// cases, or a `\u` escape (a key may spell itself with escapes). A body that cannot (most
    /// answers) is not parsed at all.
    static func mayName(_ body: Data, _ fields: Set<String>) -> Bool {
        let names = fields.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
        // The bytes a name (or an escape) can start with, in either case.
        var starts = [Bool](repeating: false, count: 256)
        starts[Int(UInt8(ascii: "\\"))] = true
        for name in names {
            starts[Int(name[0])] = true
            if (0x61...0x7a).contains(name[0]) { starts[Int(name[0] - 0x20)] = true }
        }
        return body.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            return starts.withUnsafeBufferPointer { starts -> Bool in
                for index in 0..<count where starts[Int(bytes[index])] {
                    if bytes[index] == UInt8(ascii: "\\") {
                        if index + 1 < count, bytes[index + 1] == UInt8(ascii: "u") { return true }
                        continue
                    }
                    for name in names where index + name.count <= count {
                        var offset = 0
                        while offset < name.count, Self.lower(bytes[index + offset]) == name[offset] { offset += 1 }
                        if offset == name.count { return true }
                    }
                }
                return false
            }
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5a).contains(byte) ? byte + 0x20 : byte }

    private static func looksLikeJSON(_ body: Data) -> Bool {
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x0a && $0 != 0x0d && $0 != 0x09 }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    private static func redactJSON(_ body: Data, fields: Set<String>) -> Outcome? {
        let bytes = [UInt8](body)
        guard let parsed = try? JSONParser.parse(bytes) else { return redactJSONLike(body, fields: fields) }
        var kinds: [CredentialKind] = []
        var values: [String] = []
        let replaced = replacing(parsed, fields: fields, kinds: &kinds, values: &values)
        guard !kinds.isEmpty else { return nil }
        var writer = JSONWriter(capacity: bytes.count)
        writer.value(replaced)
        return Outcome(body: Data(writer.bytes), kinds: kinds, values: values)
    }

    private static func replacing(_ value: JSONValue, fields: Set<String>, kinds: inout [CredentialKind], values: inout [String]) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { member in
                guard fields.contains(member.key.lowercased()) else {
                    return JSONValue.Member(key: member.key, value: replacing(member.value, fields: fields, kinds: &kinds, values: &values))
                }
                switch member.value {
                case .string(let text) where text != Array(Redactor.placeholder.utf8):
                    values.append(String(decoding: text, as: UTF8.self))
                case .number(let text):
                    values.append(text)
                default:
                    // null, booleans, nested values and the placeholder itself stay as they are.
                    return JSONValue.Member(key: member.key, value: replacing(member.value, fields: fields, kinds: &kinds, values: &values))
                }
                let kind = CredentialKind.body(member.key)
                if !kinds.contains(kind) { kinds.append(kind) }
                return JSONValue.Member(key: member.key, value: .string(Array(Redactor.placeholder.utf8)))
            })
        case .array(let elements):
            return .array(elements.map { replacing($0, fields: fields, kinds: &kinds, values: &values) })
        default:
            return value
        }
    }

    /// For a body that only looks like JSON (JSON Lines, two documents back to back, a cut-off
    /// document): every `"FIELD" : "VALUE"` with a plain string value, replaced in place.
    private static func redactJSONLike(_ body: Data, fields: Set<String>) -> Outcome? {
        let bytes = [UInt8](body)
        var output: [UInt8] = []
        var kinds: [CredentialKind] = []
        var values: [String] = []
        var index = 0, copied = 0
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        func skipSpace(_ at: Int) -> Int {
            var at = at
            while at < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[at]) { at += 1 }
            return at
        }
        /// The end (just past the closing quote) of the string starting at `start`, if closed.
        func stringEnd(_ start: Int) -> Int? {
            var at = start + 1
            while at < bytes.count {
                if bytes[at] == backslash { at += 2; continue }
                if bytes[at] == quote { return at + 1 }
                at += 1
            }
            return nil
        }
        while index < bytes.count {
            guard bytes[index] == quote, let keyEnd = stringEnd(index) else { index += 1; continue }
            let key = String(decoding: bytes[(index + 1)..<(keyEnd - 1)], as: UTF8.self)
            let colon = skipSpace(keyEnd)
            guard fields.contains(key.lowercased()), colon < bytes.count, bytes[colon] == UInt8(ascii: ":") else { index = keyEnd; continue }
            let valueStart = skipSpace(colon + 1)
            guard valueStart < bytes.count, bytes[valueStart] == quote, let valueEnd = stringEnd(valueStart) else { index = keyEnd; continue }
            let value = String(decoding: bytes[(valueStart + 1)..<(valueEnd - 1)], as: UTF8.self)
            if value != Redactor.placeholder, !value.isEmpty {
                values.append(value)
                let kind = CredentialKind.body(key)
                if !kinds.contains(kind) { kinds.append(kind) }
                output += bytes[copied...valueStart]
                output += Array(Redactor.placeholder.utf8)
                output.append(quote)
                copied = valueEnd
            }
            index = valueEnd
        }
        guard !kinds.isEmpty else { return nil }
        output += bytes[copied...]
        return Outcome(body: Data(output), kinds: kinds, values: values)
    }

    private static func redactForm(_ body: Data, fields: Set<String>) -> Outcome? {
        let text = String(decoding: body, as: UTF8.self)
        var kinds: [CredentialKind] = []
        var values: [String] = []
        let pairs = text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let rawName = String(pair[..<equals]), rawValue = String(pair[pair.index(after: equals)...])
            let name = decodeFormComponent(rawName)
            guard fields.contains(name.lowercased()), !rawValue.isEmpty, rawValue != Redactor.placeholder else { return String(pair) }
            values.append(rawValue)
            values.append(decodeFormComponent(rawValue))
            let kind = CredentialKind.body(name)
            if !kinds.contains(kind) { kinds.append(kind) }
            return rawName + "=" + Redactor.placeholder
        }
        guard !kinds.isEmpty else { return nil }
        return Outcome(body: Data(pairs.joined(separator: "&").utf8), kinds: kinds, values: values)
    }

    private static func decodeFormComponent(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
