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
        var rows: [JSONValue] = []
        var stale: [String] = [], broken: [String] = [], future: Set<String> = []
        for file in files {
            // A link is described by what it points to (the reader refuses a FIFO or device
            // without waiting on it); a file that does not load is one row, not the end of the list.
            let target = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            let cassette: Cassette
            do {
                if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: file), !FileManager.default.fileExists(atPath: target) {
                    throw CLIError("\(file): cannot be read: a link to \(destination), which does not exist")
                }
                cassette = try loadCassette(file, limitOptions)
            } catch {
                broken.append(file)
                rows.append(["file": .text(file), "error": .text("\(error)")])
                FileHandle.standardError.write(Data("tapedeck: \(error)\n".utf8))
                continue
            }
            let age = CassetteAge(of: file, resolved: target, now: now)
            let hosts = Array(Set(cassette.interactions.compactMap { URLComponents(string: $0.request.url)?.host })).sorted()
            let kinds = cassette.redactedCredentials.map(\.rawValue)
            let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
            if age.isInFuture { future.insert(file) }
            if let maxAge, age.isInFuture || age.days > maxAge { stale.append(file) }
            rows.append(["file": .text(file), "interactions": .integer(cassette.interactions.count), "hosts": .texts(hosts),
                         "credentials": .texts(kinds), "bytes": .integer(size), "ageDays": .integer(age.days), "ageFrom": .text(age.source),
                         "date": .text(ISO8601DateFormatter().string(from: age.date)), "dateInFuture": .bool(age.isInFuture)])
            if !json {
                Console.line("\(file): \(cassette.interactions.count) interaction\(cassette.interactions.count == 1 ? "" : "s"), "
                    + "hosts \(hosts.isEmpty ? "none" : hosts.joined(separator: ", ")), credentials \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")), "
                    + "\(size) bytes, \(age.text)")
            }
        }
        if json {
            let document: JSONValue = ["cassettes": .array(rows), "stale": .texts(stale), "unreadable": .texts(broken),
                                       "maxAgeDays": maxAge.map(JSONValue.integer) ?? .null]
            FileHandle.standardOutput.write(Data((document.prettyText + "\n").utf8))
        }
        if !stale.isEmpty, let maxAge {
            for file in stale {
                let why = future.contains(file) ? "is dated in the future, so its age is unknown" : "is older than \(maxAge) days"
                FileHandle.standardError.write(Data("tapedeck: \(file) \(why); re-record it (see cassettes/README.md or Scripts/)\n".utf8))
            }
        }
        if !stale.isEmpty || !broken.isEmpty { throw ExitCode(1) }
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
}
