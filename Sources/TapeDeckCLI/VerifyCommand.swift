import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck verify`: format check and secret scan, for CI and pre-commit.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check cassettes' format and scan them for secrets.",
        discussion: "Exit 0 when every file is clean; 1 with each finding's interaction, place and a masked excerpt.")

    @Argument(help: "The cassette files.") var files: [String]
    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one cassette file") }
    }

    func run() async throws {
        let scanner = SecretScanner()
        var failed = false
        for file in files {
            let cassette: Cassette
            do {
                cassette = try loadCassette(file, limitOptions)
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
