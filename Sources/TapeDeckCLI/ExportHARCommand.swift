import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck export-har`: a cassette as HAR 1.2.
struct ExportHARCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-har", abstract: "Write a cassette as a HAR 1.2 file.")

    @Argument(help: "The cassette file.") var file: String
    @OptionGroup var limitOptions: LimitOptions
    @Option(help: "Where to write the HAR (default: standard output).") var output: String?

    func run() async throws {
        let har = HAR.export(try loadCassette(file, limitOptions))
        if let output {
            guard FileManager.default.createFile(atPath: output + ".tmp", contents: har),
                  rename(output + ".tmp", output) == 0 else { throw CLIError("\(output): cannot write the HAR file") }
        } else {
            FileHandle.standardOutput.write(har)
        }
    }
}
