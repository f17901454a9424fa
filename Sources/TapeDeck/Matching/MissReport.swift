/// The message for a request that nothing recorded matches: the request, then the closest
/// recorded interactions, each with what differs.
struct MissReport {
    var request: RecordedRequest
    var interactions: [Interaction]
    var configuration: MatchConfiguration
    var source: String
    /// How many near misses to show.
    var limit = 3

    var error: TapeDeckError { TapeDeckError(.noMatch, reason: text) }

    var text: String {
        var lines = ["no recorded interaction matches the request", "  \(request)", "in \(source) (\(interactions.count) interaction\(interactions.count == 1 ? "" : "s"))."]
        // Rank by how far apart: the summed weights of the parts that differ, then file order.
        let ranked = interactions.indices.map { index -> (index: Int, distance: Int, differences: [String]) in
            var distance = 0
            var differences: [String] = []
            for matcher in configuration.matchers {
                let found = matcher.differences(request, interactions[index].request)
                if !found.isEmpty { distance += matcher.weight }
                differences += found
            }
            return (index, distance, differences)
        }
        .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
        .prefix(limit)
        if ranked.isEmpty {
            lines.append("The cassette is empty: record this request first.")
        } else {
            lines.append("Closest recorded interactions:")
            for candidate in ranked {
                let interaction = interactions[candidate.index]
                lines.append("  #\(candidate.index + 1) \(interaction.request) -> \(interaction.response.status)")
                let differences = candidate.differences.isEmpty
                    ? ["the parts match, but the custom predicate rejected it"]
                    : candidate.differences
                lines += differences.map { "      differs in \($0)" }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A value for a message: quoted, and cut to 80 characters.
    static func quote(_ text: String) -> String {
        let cut = text.count > 80 ? String(text.prefix(77)) + "..." : text
        return "'\(cut)'"
    }
}
