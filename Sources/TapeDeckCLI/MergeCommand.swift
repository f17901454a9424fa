import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck merge`: several cassettes into one, identical interactions once.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge cassettes into one, keeping identical interactions once, in first-seen order.")

    @Argument(help: "The cassette to write.") var output: String
    @Argument(help: "The cassettes to merge.") var inputs: [String]
    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one cassette to merge") }
    }

    func run() async throws {
        var merged = Cassette(name: Cassette.name(fromPath: output))
        var seen = Set<Interaction>()
        for input in inputs {
            for interaction in try loadCassette(input, limitOptions).interactions where seen.insert(interaction).inserted {
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
