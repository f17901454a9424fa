import ArgumentParser
import Foundation
import TapeDeck

/// `tapedeck-cli`: record HTTP exchanges into cassettes, replay them, and serve a reference upstream.
///
/// Exit status: 0 on success, 1 for a failed check or operation (a missing or damaged file, a
/// secret found), 2 for a usage error.
@main
struct TapeDeckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapedeck-cli",
        abstract: "Record and replay HTTP exchanges with LLM APIs as compressed cassettes.",
        version: TapeDeckVersion.current,
        subcommands: [RecordCommand.self, ReplayCommand.self, ExampleUpstreamCommand.self,
                      ShowCommand.self, VerifyCommand.self, RedactCommand.self, DiffCommand.self,
                      CompactCommand.self, MergeCommand.self, ExportHARCommand.self, ImportHARCommand.self,
                      DriftCommand.self, StatusCommand.self, StubCommand.self])

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            if code == .validationFailure || error is ValidationError {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            if let exitCode = error as? ExitCode { Foundation.exit(exitCode.rawValue) }
            if let failure = error as? DriftFailure {
                FileHandle.standardError.write(Data("tapedeck: \(failure)\n".utf8))
                Foundation.exit(2)
            }
            FileHandle.standardError.write(Data("tapedeck: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }
}
