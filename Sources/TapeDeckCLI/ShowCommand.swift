import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck show`: a readable listing, or one exchange in full.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List a cassette's interactions, or show one in full.",
        discussion: "For git: `git config diff.tapedeck.textconv 'tapedeck show --full'` with `*.tape diff=tapedeck` in .gitattributes.")

    @Argument(help: "The cassette file.") var file: String
    @OptionGroup var limitOptions: LimitOptions
    @Option(help: "Show interaction N (1-based) in full.") var index: Int?
    @Flag(help: "Print JSON: the decompressed JSON Lines, or interaction N's line.") var json = false
    @Flag(help: "Show every interaction in full (for git diff).") var full = false

    func run() async throws {
        let cassette = try loadCassette(file, limitOptions)
        cassette.warnings.forEach { Console.warning($0) }
        if let index {
            guard (1...max(1, cassette.interactions.count)).contains(index), !cassette.interactions.isEmpty else {
                throw CLIError("\(file): there is no interaction #\(index) (the cassette has \(cassette.interactions.count))")
            }
            let interaction = cassette.interactions[index - 1]
            if json {
                // The line's own key order (the cassette format's), indented.
                var writer = JSONWriter()
                writer.pretty(try JSONParser.parse(interaction.encodedLine()), sortingKeys: false)
                Console.line(String(decoding: writer.bytes, as: UTF8.self))
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
