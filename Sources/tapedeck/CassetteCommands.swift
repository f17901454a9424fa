import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// Loads a cassette for a command, as one clear line on failure.
func loadCassette(_ path: String) throws -> Cassette {
    do {
        return try Cassette(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw CLIError(error.description)
    }
}

/// `tapedeck show`: a readable listing, or one exchange in full.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List a cassette's interactions, or show one in full.",
        discussion: "For git: `git config diff.tapedeck.textconv 'tapedeck show --full'` with `*.tape diff=tapedeck` in .gitattributes.")

    @Argument(help: "The cassette file.") var file: String
    @Option(help: "Show interaction N (1-based) in full.") var index: Int?
    @Flag(help: "Print JSON: the decompressed JSON Lines, or interaction N's line.") var json = false
    @Flag(help: "Show every interaction in full (for git diff).") var full = false

    func run() async throws {
        let cassette = try loadCassette(file)
        cassette.warnings.forEach { Console.warning($0.description) }
        if let index {
            guard (1...max(1, cassette.interactions.count)).contains(index), !cassette.interactions.isEmpty else {
                throw CLIError("\(file): there is no interaction #\(index) (the cassette has \(cassette.interactions.count))")
            }
            let interaction = cassette.interactions[index - 1]
            if json {
                let line = Data(interaction.encodedLine())
                let pretty = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: line), options: [.prettyPrinted, .withoutEscapingSlashes])
                Console.line(String(decoding: pretty, as: UTF8.self))
            } else {
                FileHandle.standardOutput.write(Data(CassetteListing.full(interaction, number: index).utf8))
            }
        } else if json {
            FileHandle.standardOutput.write(Data(cassette.encodedLines()))
        } else if full {
            FileHandle.standardOutput.write(Data(CassetteListing.fullText(cassette).utf8))
        } else {
            Console.line("\(file): cassette \(cassette.name), \(cassette.interactions.count) interactions, written by \(cassette.writer)")
            CassetteListing.lines(cassette).forEach(Console.line)
        }
    }
}

/// `tapedeck verify`: format check and secret scan, for CI and pre-commit.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check cassettes' format and scan them for secrets.",
        discussion: "Exit 0 when every file is clean; 1 with each finding's interaction, place and a masked excerpt.")

    @Argument(help: "The cassette files.") var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one cassette file") }
    }

    func run() async throws {
        let scanner = SecretScanner()
        var failed = false
        for file in files {
            let cassette: Cassette
            do {
                cassette = try loadCassette(file)
            } catch {
                FileHandle.standardError.write(Data("tapedeck: \(error)\n".utf8))
                failed = true
                continue
            }
            var problems = cassette.warnings.map(\.description)
            problems += scanner.scan(cassette).map { "\(file): \($0)" }
            if problems.isEmpty {
                Console.line("\(file): ok (\(cassette.interactions.count) interactions, no secrets found)")
            } else {
                failed = true
                problems.forEach { FileHandle.standardError.write(Data("tapedeck: \($0)\n".utf8)) }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `tapedeck redact`: the redaction rules applied to an existing cassette, in place.
struct RedactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Remove credentials from an existing cassette, in place and atomically.")

    @Argument(help: "The cassette file.") var file: String
    @Option(name: .customLong("header"), help: "Another header to treat as a credential (repeatable).") var headers: [String] = []
    @Option(name: .customLong("query"), help: "Another query parameter to treat as a credential (repeatable).") var queries: [String] = []

    func run() async throws {
        var cassette = try loadCassette(file)
        var redactor = Redactor(rules: RedactionRules.standard.adding(headers: headers, queryParameters: queries))
        // Two passes: values learned anywhere are scrubbed everywhere, earlier interactions too.
        _ = cassette.interactions.map { redactor.redact($0) }
        let redacted = cassette.interactions.map { redactor.redact($0) }
        let changed = zip(cassette.interactions, redacted).filter { $0.0 != $0.1 }.count
        cassette.interactions = redacted
        do {
            try cassette.write(to: URL(fileURLWithPath: file))
        } catch {
            throw CLIError(error.description)
        }
        Console.line("\(file): \(changed) of \(redacted.count) interactions changed; credentials removed: "
            + (cassette.redactedCredentials.isEmpty ? "none" : cassette.redactedCredentials.map(\.rawValue).joined(separator: ", ")))
    }
}

/// `tapedeck diff`: interaction-level differences.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show which interactions were added, removed or changed between two cassettes.",
        discussion: "Exit 0 when they hold the same interactions, 1 when they differ (as diff(1)).")

    @Argument(help: "The old cassette.") var old: String
    @Argument(help: "The new cassette.") var new: String

    func run() async throws {
        let changes = CassetteDiff.changes(from: try loadCassette(old), to: try loadCassette(new))
        if changes.isEmpty {
            Console.line("same interactions")
            return
        }
        changes.forEach { Console.line($0.description) }
        throw ExitCode(1)
    }
}

/// `tapedeck compact`: one gzip member.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact", abstract: "Rewrite a cassette as one gzip member (atomically), repairing a cut-short file.")

    @Argument(help: "The cassette file.") var file: String

    func run() async throws {
        let before = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("\(file): no such file") }
        do {
            let warnings = try Cassette.compact(at: URL(fileURLWithPath: file))
            warnings.forEach { Console.warning($0.description) }
        } catch {
            throw CLIError(error.description)
        }
        let after = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        Console.line("\(file): \(before) -> \(after) bytes")
    }
}

/// `tapedeck merge`: several cassettes into one, identical interactions once.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge cassettes into one, keeping identical interactions once, in first-seen order.")

    @Argument(help: "The cassette to write.") var output: String
    @Argument(help: "The cassettes to merge.") var inputs: [String]

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one cassette to merge") }
    }

    func run() async throws {
        var merged = Cassette(name: Cassette.name(fromPath: output))
        var seen = Set<Interaction>()
        for input in inputs {
            for interaction in try loadCassette(input).interactions where seen.insert(interaction).inserted {
                merged.interactions.append(interaction)
            }
        }
        do {
            try merged.write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIError(error.description)
        }
        Console.line("\(output): \(merged.interactions.count) interactions from \(inputs.count) cassettes")
    }
}

/// `tapedeck export-har`: a cassette as HAR 1.2.
struct ExportHARCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-har", abstract: "Write a cassette as a HAR 1.2 file.")

    @Argument(help: "The cassette file.") var file: String
    @Option(help: "Where to write the HAR (default: standard output).") var output: String?

    func run() async throws {
        let har = HAR.export(try loadCassette(file))
        if let output {
            guard FileManager.default.createFile(atPath: output + ".tmp", contents: har),
                  rename(output + ".tmp", output) == 0 else { throw CLIError("\(output): cannot write the HAR file") }
        } else {
            FileHandle.standardOutput.write(har)
        }
    }
}

/// `tapedeck import-har`: a HAR file (browser developer tools, Polly.js) as a redacted cassette.
struct ImportHARCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-har", abstract: "Turn a HAR file into a cassette, credentials removed.")

    @Argument(help: "The HAR file.") var har: String
    @Option(help: "The cassette to write.") var cassette: String
    @Flag(help: "Replace an existing cassette.") var overwrite = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: har) else { throw CLIError("\(har): no such readable file") }
        let interactions: [Interaction]
        do {
            interactions = try HAR.interactions(from: data)
        } catch {
            throw CLIError("\(har): \(error)")
        }
        if FileManager.default.fileExists(atPath: cassette), !overwrite {
            throw CLIError("\(cassette) already exists; pass --overwrite to replace it")
        }
        var redactor = Redactor()
        _ = interactions.map { redactor.redact($0) }
        let imported = Cassette(name: Cassette.name(fromPath: cassette), interactions: interactions.map { redactor.redact($0) })
        do {
            try imported.write(to: URL(fileURLWithPath: cassette))
        } catch {
            throw CLIError(error.description)
        }
        Console.line("\(cassette): \(imported.interactions.count) interactions from \(har); credentials removed: "
            + (imported.redactedCredentials.isEmpty ? "none" : imported.redactedCredentials.map(\.rawValue).joined(separator: ", ")))
    }
}
