import Foundation
package import TapeDeck

/// What `tapedeck show` prints: a line per interaction, or one exchange in full.
package enum CassetteListing {
    /// `#1 GET https://api.deepseek.com/models -> 200, 154 bytes, removed: header:authorization`
    package static func lines(_ cassette: Cassette) -> [String] {
        cassette.interactions.enumerated().map { index, interaction in
            let kinds = (interaction.request.redacted + interaction.response.redacted).map(\.rawValue)
            let streamed = interaction.response.chunks.map { ", \($0.count) chunks" } ?? ""
            let stub = interaction.stub.map { rule in
                ", stub on \(rule.parts.map(\.rawValue).joined(separator: "+"))\(rule.times.map { " x\($0)" } ?? "")"
            } ?? ""
            return "#\(index + 1) \(interaction.request.method) \(interaction.request.url) -> \(interaction.response.status), "
                + "\(interaction.response.body.count) bytes\(streamed)\(stub), removed: \(kinds.isEmpty ? "none" : kinds.joined(separator: ","))"
        }
    }

    /// One exchange, headers and bodies, JSON bodies pretty-printed.
    package static func full(_ interaction: Interaction, number: Int) -> String {
        var text = "#\(number) \(interaction.request.method) \(interaction.request.url)\n"
        for header in interaction.request.headers { text += "> \(header.name): \(header.value)\n" }
        if !interaction.request.redacted.isEmpty { text += "> (removed: \(interaction.request.redacted.map(\.rawValue).joined(separator: ", ")))\n" }
        if let body = interaction.request.body { text += bodyText(body) }
        text += "< \(interaction.response.status)\n"
        for header in interaction.response.headers { text += "< \(header.name): \(header.value)\n" }
        if !interaction.response.redacted.isEmpty { text += "< (removed: \(interaction.response.redacted.map(\.rawValue).joined(separator: ", ")))\n" }
        if let chunks = interaction.response.chunks {
            text += "< (streamed in \(chunks.count) chunks over \(chunks.last?.milliseconds ?? 0) ms)\n"
        }
        text += bodyText(interaction.response.body)
        return text
    }

    /// Every exchange in full: the readable form `git diff` shows through textconv.
    package static func fullText(_ cassette: Cassette) -> String {
        "cassette \(cassette.name) (\(cassette.writer)), \(cassette.interactions.count) interactions\n\n"
            + cassette.interactions.enumerated().map { full($0.element, number: $0.offset + 1) }.joined(separator: "\n")
    }

    private static func bodyText(_ data: Data) -> String {
        if data.isEmpty { return "" }
        // An object or an array is indented; a bare scalar is shown as the text it is.
        switch try? JSONParser.parse(data) {
        case .some(let value) where value.isContainer: return value.prettyText + "\n"
        default: break
        }
        if let text = String(data: data, encoding: .utf8) { return text.hasSuffix("\n") ? text : text + "\n" }
        return "(\(data.count) bytes of binary data)\n"
    }
}
