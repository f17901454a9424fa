/// A field of a JSON document named by a path: `user` (that key at any depth), or a path from
/// the top, `metadata.trace_id`, `messages[*].id` (`[*]` every element), `messages[0].name`.
/// The spelling of ``MatchConfiguration/ignoringBodyFields(_:)`` and `tapedeck-cli replay
/// --ignore-body-field`. (`tapedeck-cli drift --ignore` takes bare names only, which mean the
/// same there: that key at any depth.)
package struct JSONFieldPath: Sendable, Hashable, CustomStringConvertible {
    package enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case everyElement
    }

    /// The steps from the top; for a bare name, the one key matched at any depth.
    package let steps: [Step]
    /// A bare name: the key is removed wherever it appears.
    package let anywhere: Bool
    package let description: String

    /// Parses `text`; `nil` when it is not a path (empty, `..`, an unclosed or non-numeric `[]`).
    package init?(_ text: String) {
        description = text
        var steps: [Step] = []
        var rest = Substring(text.hasPrefix("$.") ? String(text.dropFirst(2)) : text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside == "*" {
                    steps.append(.everyElement)
                } else if let index = Int(inside), index >= 0 {
                    steps.append(.index(index))
                } else {
                    return nil
                }
                rest = rest[rest.index(after: close)...]
                if rest.hasPrefix(".") { rest = rest.dropFirst(); guard !rest.isEmpty else { return nil } }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = rest[..<end]
                guard !key.isEmpty else { return nil }
                steps.append(.key(String(key)))
                rest = rest[end...]
                if rest.hasPrefix(".") { rest = rest.dropFirst(); guard !rest.isEmpty else { return nil } }
            }
        }
        self.steps = steps
        anywhere = steps.count == 1 && !text.hasPrefix("$.") && { if case .key = steps[0] { return true } else { return false } }()
    }

    /// `value` without the fields `paths` name.
    package static func removing(_ paths: [JSONFieldPath], from value: JSONValue) -> JSONValue {
        paths.reduce(value) { $1.removed(from: $0) }
    }

    /// Whether this path names at least one field of `value`.
    package func matches(in value: JSONValue) -> Bool {
        var found = false
        _ = remove(from: value, steps[...], found: &found)
        return found
    }

    private func removed(from value: JSONValue) -> JSONValue {
        var found = false
        return remove(from: value, steps[...], found: &found)
    }

    private func remove(from value: JSONValue, _ steps: ArraySlice<Step>, found: inout Bool) -> JSONValue {
        if anywhere, case .key(let name) = self.steps[0] { return removeEverywhere(name, from: value, found: &found) }
        guard let step = steps.first else { return value }
        let last = steps.count == 1
        switch (step, value) {
        case (.key(let name), .object(var members)):
            guard let at = members.firstIndex(where: { $0.key == name }) else { return value }
            if last {
                members.remove(at: at)
                found = true
            } else {
                members[at].value = remove(from: members[at].value, steps.dropFirst(), found: &found)
            }
            return .object(members)
        case (.index(let index), .array(var elements)):
            guard index < elements.count else { return value }
            if last {
                elements.remove(at: index)
                found = true
            } else {
                elements[index] = remove(from: elements[index], steps.dropFirst(), found: &found)
            }
            return .array(elements)
        case (.everyElement, .array(let elements)):
            if last {
                found = found || !elements.isEmpty
                return .array([])
            }
            return .array(elements.map { remove(from: $0, steps.dropFirst(), found: &found) })
        default:
            return value
        }
    }

    private func removeEverywhere(_ name: String, from value: JSONValue, found: inout Bool) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [JSONValue.Member] = []
            for member in members {
                if member.key == name { found = true; continue }
                kept.append(JSONValue.Member(key: member.key, value: removeEverywhere(name, from: member.value, found: &found)))
            }
            return .object(kept)
        case .array(let elements):
            return .array(elements.map { removeEverywhere(name, from: $0, found: &found) })
        default:
            return value
        }
    }
}
