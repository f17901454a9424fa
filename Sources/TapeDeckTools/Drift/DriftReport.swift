package import Foundation
import TapeDeck

/// What `tapedeck drift` found, per cassette and interaction, as text or as one JSON document.
package struct DriftReport: Sendable {
    /// One recorded interaction compared with its live answer.
    package struct Entry: Sendable {
        package var number: Int
        package var method: String
        package var url: String
        package var drift: ResponseDrift

        package init(number: Int, method: String, url: String, drift: ResponseDrift) {
            self.number = number
            self.method = method
            self.url = url
            self.drift = drift
        }
    }

    /// One cassette's entries, and whether its drifted interactions were re-recorded.
    package struct File: Sendable {
        package var path: String
        package var entries: [Entry]
        package var updated = false

        package init(path: String, entries: [Entry]) {
            self.path = path
            self.entries = entries
        }
    }

    package var files: [File] = []

    package init() {}

    /// How many interactions could not be compared (a live rate limit, server error, redirect).
    package var unavailableCount: Int { files.reduce(0) { $0 + $1.entries.filter { $0.drift.verdict == .unavailable }.count } }

    /// The most names or paths the text report lists on one line.
    package static let listLimit = 20

    package var driftedCount: Int { files.reduce(0) { $0 + $1.entries.filter { $0.drift.verdict == .drifted }.count } }
    package var entryCount: Int { files.reduce(0) { $0 + $1.entries.count } }

    /// A readable report: each interaction's verdict, with what changed under it.
    package func text() -> String {
        var lines: [String] = []
        for file in files {
            lines.append(Self.printable(file.path))
            for entry in file.entries {
                let drift = entry.drift
                lines.append("  #\(entry.number) \(Self.printable(entry.method)) \(Self.printable(entry.url)): \(drift.verdict.rawValue)")
                if let note = drift.note { lines.append("      \(note)") }
                if drift.recordedStatus != drift.liveStatus { lines.append("      status: \(drift.recordedStatus) recorded, \(drift.liveStatus) live") }
                if drift.recordedContentType != drift.liveContentType {
                    lines.append("      content type: \(Self.printable(drift.recordedContentType ?? "none")) recorded, \(Self.printable(drift.liveContentType ?? "none")) live")
                }
                for (label, names) in [("models added", drift.modelsAdded), ("models removed", drift.modelsRemoved), ("paths added", drift.pathsAdded),
                                       ("paths removed", drift.pathsRemoved), ("paths changed", drift.pathsChanged)] where !names.isEmpty {
                    lines.append("      \(label): \(Self.capped(names))")
                }
            }
            if file.updated { lines.append("  re-recorded the drifted interactions into \(Self.printable(file.path))") }
        }
        lines.append("\(driftedCount) of \(entryCount) interaction\(entryCount == 1 ? "" : "s") drifted"
            + (unavailableCount > 0 ? "; \(unavailableCount) not compared" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    /// At most ``listLimit`` names, each printable, and how many more there are.
    static func capped(_ names: [String]) -> String {
        names.prefix(listLimit).map(printable).joined(separator: ", ") + (names.count > listLimit ? ", ... (\(names.count - listLimit) more)" : "")
    }

    /// `text` with control characters (ESC, CR, LF, ...) and other invisible scalars written as
    /// `\u{1B}`: an upstream's strings cannot move the cursor, end a line or forge a report line.
    /// Long strings are cut at 200 characters.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(200) {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 200 ? out + "..." : out
    }

    /// One JSON document: `{"drifted": N, "interactions": N, "cassettes": [...]}`.
    package func json() -> Data {
        let cassettes: [JSONValue] = files.map { file in
            ["file": .text(file.path), "updated": .bool(file.updated), "interactions": .array(file.entries.map { entry in
                let drift = entry.drift
                return ["number": .integer(entry.number), "method": .text(entry.method), "url": .text(entry.url),
                        "verdict": .text(drift.verdict.rawValue),
                        "recordedStatus": .integer(drift.recordedStatus), "liveStatus": .integer(drift.liveStatus),
                        "recordedContentType": .text(orNull: drift.recordedContentType), "liveContentType": .text(orNull: drift.liveContentType),
                        "modelsAdded": .texts(drift.modelsAdded), "modelsRemoved": .texts(drift.modelsRemoved),
                        "pathsAdded": .texts(drift.pathsAdded), "pathsRemoved": .texts(drift.pathsRemoved), "pathsChanged": .texts(drift.pathsChanged),
                        "note": .text(orNull: drift.note)]
            })]
        }
        let document: JSONValue = ["drifted": .integer(driftedCount), "notCompared": .integer(unavailableCount),
                                   "interactions": .integer(entryCount), "cassettes": .array(cassettes)]
        return Data(document.prettyText.utf8)
    }
}
