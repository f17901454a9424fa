import Foundation

/// The parts of a URL string that matching and redaction look at, split without normalising
/// anything, so the rest of the URL is kept byte for byte.
struct RequestURL {
    var scheme: String
    /// `host[:port]` as written (userinfo dropped).
    var authority: String
    var path: String
    var query: String?

    init(_ string: String) {
        var rest = Substring(string)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let separator = rest.range(of: "://") {
            scheme = rest[..<separator.lowerBound].lowercased()
            rest = rest[separator.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            self.authority = String(authority)
            rest = rest[authorityEnd...]
        } else {
            scheme = ""
            authority = ""
        }
        if let question = rest.firstIndex(of: "?") {
            path = String(rest[..<question])
            query = String(rest[rest.index(after: question)...])
        } else {
            path = String(rest)
            query = nil
        }
    }

    /// Lower-case host with the scheme's default port left out.
    var normalizedHost: String {
        let host = authority.lowercased()
        if scheme == "https", host.hasSuffix(":443") { return String(host.dropLast(4)) }
        if scheme == "http", host.hasSuffix(":80") { return String(host.dropLast(3)) }
        return host
    }

    /// The query's `name=value` items, decoded, in order; empty items skipped.
    var queryItems: [(name: String, value: String)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// `string` with the query items whose decoded name satisfies `isRemoved` taken out; the
    /// removed items' names and decoded values, in order. Everything else is kept as written.
    static func removingQueryItems(from string: String, where isRemoved: (String) -> Bool) -> (url: String, removed: [(name: String, value: String, raw: String)]) {
        guard let question = string.firstIndex(of: "?") else { return (string, []) }
        let queryEnd = string[question...].firstIndex(of: "#") ?? string.endIndex
        let query = string[string.index(after: question)..<queryEnd]
        var kept: [Substring] = []
        var removed: [(String, String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if !item.isEmpty, isRemoved(name) {
                let raw = parts.count > 1 ? String(parts[1]) : ""
                removed.append((name, parts.count > 1 ? decode(parts[1]) : "", raw))
            } else {
                kept.append(item)
            }
        }
        guard !removed.isEmpty else { return (string, []) }
        let rebuilt = String(string[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")) + string[queryEnd...]
        return (rebuilt, removed)
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
