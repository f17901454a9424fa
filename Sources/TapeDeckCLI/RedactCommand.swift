import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck redact`: the redaction rules applied to an existing cassette, in place.
struct RedactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Remove credentials from an existing cassette, in place and atomically.")

    @Argument(help: "The cassette file.") var file: String
    @OptionGroup var limitOptions: LimitOptions
    @Option(name: .customLong("header"), help: "Another header to treat as a credential (repeatable).") var headers: [String] = []
    @Option(name: .customLong("query"), help: "Another query parameter to treat as a credential (repeatable).") var queries: [String] = []
    @Option(name: .customLong("field"), help: "Another JSON or form body field to treat as a credential (repeatable).") var fields: [String] = []

    func run() async throws {
        var cassette = try loadCassette(file, limitOptions)
        var redactor = Redactor(rules: RedactionRules.standard.adding(headers: headers, queryParameters: queries, bodyFields: fields))
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
