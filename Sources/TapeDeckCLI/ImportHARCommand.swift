import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck import-har`: a HAR file (browser developer tools, Polly.js) as a redacted cassette.
struct ImportHARCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-har", abstract: "Turn a HAR file into a cassette, credentials removed.")

    @Argument(help: "The HAR file.") var har: String
    @Option(help: "The cassette to write.") var cassette: String
    @OptionGroup var limitOptions: LimitOptions
    @Flag(help: "Replace an existing cassette.") var overwrite = false

    func run() async throws {
        let data: Data
        do {
            data = try FileIO.readFile(har, what: "HAR", limit: limitOptions.limits().maximumRawBytes)
        } catch let error as TapeDeckError {
            throw CLIError(error.description)
        }
        let interactions: [Interaction]
        do {
            let imported = try HAR.imported(from: data)
            interactions = imported.interactions
            imported.warnings.forEach { Console.warning("\(har): \($0)") }
        } catch {
            throw CLIError("\(har): \(error)")
        }
        if FileManager.default.fileExists(atPath: cassette), !overwrite {
            throw CLIError("\(cassette) already exists; pass --overwrite to replace it")
        }
        var redactor = Redactor()
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
