import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck diff`: interaction-level differences.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show which interactions were added, removed or changed between two cassettes.",
        discussion: "Exit 0 when they hold the same interactions, 1 when they differ (as diff(1)).")

    @Argument(help: "The old cassette.") var old: String
    @Argument(help: "The new cassette.") var new: String
    @OptionGroup var limitOptions: LimitOptions

    func run() async throws {
        let changes = CassetteDiff.changes(from: try loadCassette(old, limitOptions), to: try loadCassette(new, limitOptions))
        if changes.isEmpty {
            Console.line("same interactions")
            return
        }
        changes.forEach { Console.line($0.description) }
        throw ExitCode(1)
    }
}
