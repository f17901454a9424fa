import Foundation

/// The parts of a URL string that matching and redaction look at, split without normalising
/// anything, so the rest of the URL is kept byte for byte. The parts are slices of the string:
/// splitting allocates nothing.
struct RequestURL {
    /// The scheme, lower-case.
    var scheme: Substring
    /// `host[:port]` as written (userinfo dropped).
    var authority: Substring
    var path: Substring
    var query: Substring?

    init(_ string: String) {
        // Split on UTF-8 bytes (every delimiter is ASCII): no grapheme breaking, no Foundation.
        let utf8 = string.utf8
        var rest = utf8.startIndex..<(utf8.firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex)
        if let separator = Self.find(Self.schemeSeparator, in: utf8, rest) {
            scheme = Substring(String(string[rest.lowerBound..<separator]).asciiLowercased)
            let afterScheme = utf8.index(separator, offsetBy: 3)
            rest = afterScheme..<rest.upperBound
            let authorityEnd = utf8[rest].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) ?? rest.upperBound
            var authorityStart = rest.lowerBound
            if let at = utf8[rest.lowerBound..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) { authorityStart = utf8.index(after: at) }
            authority = string[authorityStart..<authorityEnd]
            rest = authorityEnd..<rest.upperBound
        } else {
            scheme = ""
            authority = ""
        }
        if let question = utf8[rest].firstIndex(of: UInt8(ascii: "?")) {
            path = string[rest.lowerBound..<question]
            query = string[utf8.index(after: question)..<rest.upperBound]
        } else {
            path = string[rest]
            query = nil
        }
    }

    private static let schemeSeparator = Array("://".utf8)

    /// Where `needle` first starts in `utf8[range]`.
    private static func find(_ needle: [UInt8], in utf8: String.UTF8View, _ range: Range<String.Index>) -> String.Index? {
        var index = range.lowerBound
        while index < range.upperBound {
            guard let first = utf8[index..<range.upperBound].firstIndex(of: needle[0]) else { return nil }
            var probe = first, matched = 0
            while matched < needle.count, probe < range.upperBound, utf8[probe] == needle[matched] {
                probe = utf8.index(after: probe)
                matched += 1
            }
            if matched == needle.count { return first }
            index = utf8.index(after: first)
        }
        return nil
    }

    /// Lower-case host with the scheme's default port left out.
    var normalizedHost: String {
        var key = MatchKey()
        key.appendHost(of: self)
        return key.text
    }

    /// The query's `name=value` items, decoded, in order; empty items skipped.
    var queryItems: [(name: String, value: String)] {
        guard let query else { return [] }
        return Self.items(query).filter { !$0.whole.isEmpty }.map { item in
            (Self.decode(item.name), item.value.map(Self.decode) ?? "")
        }
    }

    /// Whether `string`'s query can hold an item named one of `names`: it holds one of them
    /// as written, or a `%` escape (a name may be spelled with escapes). Most URLs cannot, and
    /// are not split into items at all.
    static func queryMayName(_ string: String, _ names: Set<String>) -> Bool {
        guard !names.isEmpty else { return false }
        var string = string
        return string.withUTF8 { bytes -> Bool in
            guard let question = bytes.firstIndex(of: UInt8(ascii: "?")) else { return false }
            let query = UnsafeBufferPointer(rebasing: bytes[(question + 1)...])
            if query.contains(UInt8(ascii: "%")) { return true }
            for name in names {
                var name = name
                let found = name.withUTF8 { needle -> Bool in
                    guard let first = needle.first, needle.count <= query.count else { return false }
                    for start in 0...(query.count - needle.count) where query[start] == first {
                        if memcmp(query.baseAddress! + start, needle.baseAddress!, needle.count) == 0 { return true }
                    }
                    return false
                }
                if found { return true }
            }
            return false
        }
    }

    /// `string` with the query items whose decoded name satisfies `isRemoved` taken out; the
    /// removed items' names and decoded values, in order. Everything else is kept as written.
    static func removingQueryItems(from string: String, where isRemoved: (String) -> Bool) -> (url: String, removed: [(name: String, value: String, raw: String)]) {
        guard let question = string.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (string, []) }
        let queryEnd = string.utf8[question...].firstIndex(of: UInt8(ascii: "#")) ?? string.endIndex
        let query = string[string.utf8.index(after: question)..<queryEnd]
        var kept: [Substring] = []
        var removed: [(String, String, String)] = []
        for item in items(query) {
            let name = decode(item.name)
            if !item.whole.isEmpty, isRemoved(name) {
                removed.append((name, item.value.map(decode) ?? "", item.value.map(String.init) ?? ""))
            } else {
                kept.append(item.whole)
            }
        }
        guard !removed.isEmpty else { return (string, []) }
        let rebuilt = String(string[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")) + string[queryEnd...]
        return (rebuilt, removed)
    }

    /// The `&`-separated items of `query` (empty ones included), each split at its first `=`,
    /// found on UTF-8 bytes.
    static func items(_ query: Substring) -> [(whole: Substring, name: Substring, value: Substring?)] {
        var result: [(Substring, Substring, Substring?)] = []
        let utf8 = query.utf8
        var start = utf8.startIndex
        while true {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "&")) ?? utf8.endIndex
            let whole = query[start..<end]
            if let equals = utf8[start..<end].firstIndex(of: UInt8(ascii: "=")) {
                result.append((whole, query[start..<equals], query[utf8.index(after: equals)..<end]))
            } else {
                result.append((whole, whole, nil))
            }
            guard end < utf8.endIndex else { return result }
            start = utf8.index(after: end)
        }
    }

    static func decode(_ text: Substring) -> String {
        // Most names and values have nothing to decode.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
