package import TapeDeck

/// Interaction-level differences between two cassettes: requests are paired by what they ask
/// (method, URL, credential kinds, body), in order; what pairs and differs is "changed".
package enum CassetteDiff {
    package enum Change: Equatable, CustomStringConvertible {
        case added(number: Int, request: String)
        case removed(number: Int, request: String)
        case changed(old: Int, new: Int, request: String, parts: [String])

        package var description: String {
            switch self {
            case .added(let number, let request): "+ added #\(number) \(request)"
            case .removed(let number, let request): "- removed #\(number) \(request)"
            case .changed(let old, let new, let request, let parts): "~ changed #\(old) -> #\(new) \(request): \(parts.joined(separator: "; "))"
            }
        }
    }

    package static func changes(from old: Cassette, to new: Cassette) -> [Change] {
        func key(_ interaction: Interaction) -> String {
            let request = interaction.request
            return [request.method, request.url, request.redacted.map(\.rawValue).sorted().joined(separator: ","),
                    request.body?.base64EncodedString() ?? ""].joined(separator: "\u{1f}")
        }
        var unmatchedNew: [String: [Int]] = [:]
        for (index, interaction) in new.interactions.enumerated() { unmatchedNew[key(interaction), default: []].append(index) }
        var changes: [Change] = []
        for (index, interaction) in old.interactions.enumerated() {
            let request = "\(interaction.request.method) \(interaction.request.url)"
            guard var candidates = unmatchedNew[key(interaction)], !candidates.isEmpty else {
                changes.append(.removed(number: index + 1, request: request))
                continue
            }
            let partner = candidates.removeFirst()
            unmatchedNew[key(interaction)] = candidates
            let parts = differences(interaction, new.interactions[partner])
            if !parts.isEmpty { changes.append(.changed(old: index + 1, new: partner + 1, request: request, parts: parts)) }
        }
        for index in unmatchedNew.values.flatMap({ $0 }).sorted() {
            let interaction = new.interactions[index]
            changes.append(.added(number: index + 1, request: "\(interaction.request.method) \(interaction.request.url)"))
        }
        return changes
    }

    private static func differences(_ a: Interaction, _ b: Interaction) -> [String] {
        var parts: [String] = []
        if a.request.headers != b.request.headers { parts.append("request headers") }
        if a.response.status != b.response.status { parts.append("status \(a.response.status) -> \(b.response.status)") }
        if a.response.headers != b.response.headers { parts.append("response headers") }
        if a.response.body != b.response.body { parts.append("response body (\(a.response.body.count) -> \(b.response.body.count) bytes)") }
        if a.response.chunks != b.response.chunks { parts.append("chunks") }
        if a.response.redacted != b.response.redacted { parts.append("removed response credentials") }
        return parts
    }
}
