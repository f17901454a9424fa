extension JSONWriter {
    /// JSON field paths prepared for ``canonicalValue(_:skipping:)``: built once per matcher.
    package struct Skipping: Sendable {
        /// Keys left out wherever they appear (the bare names).
        let anywhere: Set<String>
        /// The paths from the top, as the steps still to take.
        let rooted: [ArraySlice<JSONFieldPath.Step>]

        package init(_ paths: [JSONFieldPath]) {
            anywhere = Set(paths.filter(\.anywhere).compactMap { path -> String? in
                if case .key(let name) = path.steps.first { return name }
                return nil
            })
            rooted = paths.filter { !$0.anywhere }.map { $0.steps[...] }
        }
    }

    /// Writes `value` in canonical form (keys sorted, numbers normalised) without the fields
    /// `skipping` names, in one pass: what the body matcher compares when fields are ignored. The
    /// same as removing each path and then writing, without building a copy of the tree per
    /// path. Indexes (`[N]`) count the elements as the body has them.
    package mutating func canonicalValue(_ value: JSONValue, skipping: Skipping) {
        write(value, anywhere: skipping.anywhere, cursors: skipping.rooted)
    }

    private mutating func write(_ value: JSONValue, anywhere: Set<String>, cursors: [ArraySlice<JSONFieldPath.Step>]) {
        switch value {
        case .object(let members):
            raw("{")
            var first = true
            for member in Self.byKey(members) {
                if !anywhere.isEmpty, anywhere.contains(member.key) { continue }
                var skip = false
                var deeper: [ArraySlice<JSONFieldPath.Step>] = []
                for steps in cursors {
                    guard case .key(let name) = steps.first, name == member.key else { continue }
                    if steps.count == 1 { skip = true } else { deeper.append(steps.dropFirst()) }
                }
                if skip { continue }
                if !first { comma() }
                first = false
                string(member.key)
                raw(":")
                write(member.value, anywhere: anywhere, cursors: deeper)
            }
            raw("}")
        case .array(let elements):
            raw("[")
            var first = true
            for (index, element) in elements.enumerated() {
                var skip = false
                var deeper: [ArraySlice<JSONFieldPath.Step>] = []
                for steps in cursors {
                    switch steps.first {
                    case .everyElement: break
                    case .index(let wanted) where wanted == index: break
                    default: continue
                    }
                    if steps.count == 1 { skip = true } else { deeper.append(steps.dropFirst()) }
                }
                if skip { continue }
                if !first { comma() }
                first = false
                write(element, anywhere: anywhere, cursors: deeper)
            }
            raw("]")
        default:
            self.value(value, sortingKeys: true)
        }
    }
}
