import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `tapedeck compact`: one gzip member.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact", abstract: "Rewrite a cassette as one gzip member (atomically), repairing a cut-short file.")

    @Argument(help: "The cassette file.") var file: String
    @OptionGroup var limitOptions: LimitOptions

    func run() async throws {
        let before = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("\(file): no such file") }
        do {
            let warnings = try Cassette.compact(at: URL(fileURLWithPath: file), limits: limitOptions.limits())
            warnings.forEach { Console.warning($0) }
        } catch {
            throw CLIError("\(error)")
        }
        let after = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        Console.line("\(file): \(before) -> \(after) bytes")
    }
}
