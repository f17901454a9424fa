import ArgumentParser
import Foundation
import TapeDeck

/// `tapedeck status`: what each cassette holds and how old it is, so CI can say "re-record".
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List cassettes with their interactions, hosts, credential kinds, size and age.",
        discussion: """
            The age is that of the last commit that changed the file when it is in a git repository, else its \
            modification time. With --max-age, exit 1 when any cassette is older (re-record it).
            """)

    @Argument(help: "Cassette files or folders to search for .tape files (default: the current folder).")
    var paths: [String] = []
    @Option(name: .customLong("max-age"), help: "Fail (exit 1) for a cassette older than this many days.")
    var maxAge: Int?
    @Flag(help: "Print one JSON document.") var json = false
    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if let maxAge, maxAge < 0 { throw ValidationError("--max-age \(maxAge) must be a number of days, 0 or more") }
    }

    func run() async throws {
        let files = try cassettes(in: paths.isEmpty ? ["."] : paths)
        if files.isEmpty { throw CLIError("no .tape files under \(paths.isEmpty ? "." : paths.joined(separator: ", "))") }
        let now = Date()
        var rows: [[String: Any]] = []
        var stale: [String] = []
        for file in files {
            let cassette = try loadCassette(file, limitOptions)
            let (date, source) = Self.age(of: file)
            let days = Int(now.timeIntervalSince(date) / 86_400)
            let hosts = Array(Set(cassette.interactions.compactMap { URLComponents(string: $0.request.url)?.host })).sorted()
            let kinds = cassette.redactedCredentials.map(\.rawValue)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if let maxAge, days > maxAge { stale.append(file) }
            rows.append(["file": file, "interactions": cassette.interactions.count, "hosts": hosts, "credentials": kinds,
                         "bytes": size, "ageDays": days, "ageFrom": source, "date": ISO8601DateFormatter().string(from: date)])
            if !json {
                Console.line("\(file): \(cassette.interactions.count) interaction\(cassette.interactions.count == 1 ? "" : "s"), "
                    + "hosts \(hosts.isEmpty ? "none" : hosts.joined(separator: ", ")), credentials \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")), "
                    + "\(size) bytes, \(days) day\(days == 1 ? "" : "s") old (\(source))")
            }
        }
        if json {
            let document: [String: Any] = ["cassettes": rows, "stale": stale, "maxAgeDays": maxAge.map { $0 as Any } ?? NSNull()]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        if !stale.isEmpty, let maxAge {
            for file in stale {
                FileHandle.standardError.write(Data("tapedeck: \(file) is older than \(maxAge) days; re-record it (see cassettes/README.md or Scripts/)\n".utf8))
            }
            throw ExitCode(1)
        }
    }

    /// Every `.tape` file named, or found (recursively, sorted) under a named folder.
    private func cassettes(in paths: [String]) throws -> [String] {
        var found: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw CLIError("\(path): no such file or folder") }
            if !isFolder.boolValue { found.append(path); continue }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var inside: [String] = []
            while let name = enumerator?.nextObject() as? String {
                if name.hasPrefix(".build") || name.contains("/.build") { enumerator?.skipDescendants(); continue }
                if name.hasSuffix(".tape") { inside.append(path == "." ? name : (path as NSString).appendingPathComponent(name)) }
            }
            found += inside.sorted()
        }
        return found
    }

    /// The date of the last commit that changed `file`, or its modification time.
    static func age(of file: String) -> (Date, String) {
        let folder = (file as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.isEmpty ? "." : folder, "log", "-1", "--format=%ct", "--", (file as NSString).lastPathComponent]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) != nil {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            process.waitUntilExit()
            if process.terminationStatus == 0, let seconds = TimeInterval(text) { return (Date(timeIntervalSince1970: seconds), "last commit") }
        }
        let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? Date()
        return (modified, "file modified")
    }
}
