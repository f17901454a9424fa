package import Foundation

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

    package var driftedCount: Int { files.reduce(0) { $0 + $1.entries.filter { $0.drift.verdict == .drifted }.count } }
    package var entryCount: Int { files.reduce(0) { $0 + $1.entries.count } }

    /// A readable report: each interaction's verdict, with what changed under it.
    package func text() -> String {
        var lines: [String] = []
        for file in files {
            lines.append(file.path)
            for entry in file.entries {
                let drift = entry.drift
                lines.append("  #\(entry.number) \(entry.method) \(entry.url): \(drift.verdict.rawValue)")
                if drift.recordedStatus != drift.liveStatus { lines.append("      status: \(drift.recordedStatus) recorded, \(drift.liveStatus) live") }
                if drift.recordedContentType != drift.liveContentType {
                    lines.append("      content type: \(drift.recordedContentType ?? "none") recorded, \(drift.liveContentType ?? "none") live")
                }
                if !drift.modelsAdded.isEmpty { lines.append("      models added: \(drift.modelsAdded.joined(separator: ", "))") }
                if !drift.modelsRemoved.isEmpty { lines.append("      models removed: \(drift.modelsRemoved.joined(separator: ", "))") }
                for (label, paths) in [("added", drift.pathsAdded), ("removed", drift.pathsRemoved), ("changed", drift.pathsChanged)] where !paths.isEmpty {
                    let shown = paths.prefix(8).joined(separator: ", ") + (paths.count > 8 ? ", ... (\(paths.count - 8) more)" : "")
                    lines.append("      paths \(label): \(shown)")
                }
            }
            if file.updated { lines.append("  re-recorded the drifted interactions into \(file.path)") }
        }
        lines.append("\(driftedCount) of \(entryCount) interaction\(entryCount == 1 ? "" : "s") drifted")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON document: `{"drifted": N, "interactions": N, "cassettes": [...]}`.
    package func json() -> Data {
        let cassettes: [[String: Any]] = files.map { file in
            ["file": file.path, "updated": file.updated, "interactions": file.entries.map { entry -> [String: Any] in
                let drift = entry.drift
                return ["number": entry.number, "method": entry.method, "url": entry.url, "verdict": drift.verdict.rawValue,
                        "recordedStatus": drift.recordedStatus, "liveStatus": drift.liveStatus,
                        "recordedContentType": drift.recordedContentType ?? NSNull(), "liveContentType": drift.liveContentType ?? NSNull(),
                        "modelsAdded": drift.modelsAdded, "modelsRemoved": drift.modelsRemoved,
                        "pathsAdded": drift.pathsAdded, "pathsRemoved": drift.pathsRemoved, "pathsChanged": drift.pathsChanged]
            }]
        }
        let document: [String: Any] = ["drifted": driftedCount, "interactions": entryCount, "cassettes": cassettes]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}
