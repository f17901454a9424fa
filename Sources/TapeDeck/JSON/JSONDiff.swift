/// Where two JSON values differ, as paths from `$` (`$.data[0].id`): one walk for the miss
/// report's body difference and for drift, with one rule for equal values, the canonical form
/// matching compares (key order and white space aside; `1`, `1.0` and `1e0` are one number).
package struct JSONDiff: Sendable {
    /// One place where the two differ.
    package struct Difference: Sendable {
        package enum Kind: Sendable {
            /// Only in the second value (`after`).
            case added
            /// Only in the first value (`before`).
            case removed
            /// In both, with different values (or types).
            case changed
        }

        package var kind: Kind
        package var path: String
        /// The value in the first, when it has one here.
        package var before: JSONValue?
        /// The value in the second, when it has one here.
        package var after: JSONValue?
    }

    /// Object keys left out wherever they appear (drift's volatile fields).
    package var skippingKeys: Set<String> = []
    /// Pair the elements of two arrays by their `id` (else `name`) when every element of both has
    /// a unique one, so an element that moved is not a change; otherwise elements pair by index.
    package var pairingByIDOrName = false

    package init(skippingKeys: Set<String> = [], pairingByIDOrName: Bool = false) {
        self.skippingKeys = skippingKeys
        self.pairingByIDOrName = pairingByIDOrName
    }

    /// Every difference, in walk order: keys sorted, the first value's keys before those only
    /// in the second.
    package func differences(_ before: JSONValue, _ after: JSONValue) -> [Difference] {
        var found: [Difference] = []
        _ = walk(before, after, path: "$", into: &found, limit: .max)
        return found
    }

    /// The first difference in walk order, if any; the walk stops there.
    package func firstDifference(_ before: JSONValue, _ after: JSONValue) -> Difference? {
        var found: [Difference] = []
        _ = walk(before, after, path: "$", into: &found, limit: 1)
        return found.first
    }

    /// Whether two values are the same JSON (the canonical form of each).
    package static func same(_ a: JSONValue, _ b: JSONValue) -> Bool { canonical(a) == canonical(b) }

    /// The canonical JSON text of `value`: sorted keys, normalised numbers.
    package static func canonical(_ value: JSONValue) -> String {
        var writer = JSONWriter(capacity: 64)
        writer.value(value, sortingKeys: true)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Walks one pair; `true` once `limit` differences are found (the walk stops).
    private func walk(_ before: JSONValue, _ after: JSONValue, path: String, into found: inout [Difference], limit: Int) -> Bool {
        func note(_ kind: Difference.Kind, _ path: String, _ old: JSONValue?, _ new: JSONValue?) -> Bool {
            found.append(Difference(kind: kind, path: path, before: old, after: new))
            return found.count >= limit
        }
        switch (before, after) {
        case (.object(let old), .object(let new)):
            let newByKey = Dictionary(new.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            let oldKeys = Set(old.map(\.key))
            for member in old.sorted(by: { $0.key < $1.key }) where !skippingKeys.contains(member.key) {
                let child = "\(path).\(member.key)"
                if let value = newByKey[member.key] {
                    if walk(member.value, value, path: child, into: &found, limit: limit) { return true }
                } else if note(.removed, child, member.value, nil) {
                    return true
                }
            }
            for member in new.sorted(by: { $0.key < $1.key }) where !skippingKeys.contains(member.key) && !oldKeys.contains(member.key) {
                if note(.added, "\(path).\(member.key)", nil, member.value) { return true }
            }
            return false
        case (.array(let old), .array(let new)):
            if pairingByIDOrName, let oldKeys = Self.keyed(old), let newKeys = Self.keyed(new) {
                let newLookup = Dictionary(uniqueKeysWithValues: newKeys)
                let oldLookup = Set(oldKeys.map(\.0))
                for (key, value) in oldKeys {
                    if let match = newLookup[key] {
                        if walk(value, match, path: "\(path)[\(key)]", into: &found, limit: limit) { return true }
                    } else if note(.removed, "\(path)[\(key)]", value, nil) {
                        return true
                    }
                }
                for (key, value) in newKeys where !oldLookup.contains(key) {
                    if note(.added, "\(path)[\(key)]", nil, value) { return true }
                }
                return false
            }
            for index in 0..<min(old.count, new.count) {
                if walk(old[index], new[index], path: "\(path)[\(index)]", into: &found, limit: limit) { return true }
            }
            for index in old.count..<max(old.count, new.count) where index < new.count {
                if note(.added, "\(path)[\(index)]", nil, new[index]) { return true }
            }
            for index in new.count..<max(old.count, new.count) where index < old.count {
                if note(.removed, "\(path)[\(index)]", old[index], nil) { return true }
            }
            return false
        default:
            return Self.same(before, after) ? false : note(.changed, path, before, after)
        }
    }

    /// Elements keyed `id=...` (else `name=...`), when every element has a unique one.
    private static func keyed(_ items: [JSONValue]) -> [(String, JSONValue)]? {
        guard !items.isEmpty else { return nil }
        for field in ["id", "name"] {
            let keys = items.compactMap { $0[field]?.string }
            if keys.count == items.count, Set(keys).count == keys.count {
                return zip(keys.map { "\(field)=\($0)" }, items).map { ($0, $1) }
            }
        }
        return nil
    }
}
