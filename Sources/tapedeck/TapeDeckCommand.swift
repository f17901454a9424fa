import ArgumentParser
import Foundation
import TapeDeck

/// `tapedeck`: record HTTP exchanges into cassettes, replay them, and serve a reference upstream.
@main
struct TapeDeckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapedeck",
        abstract: "Record and replay HTTP exchanges with LLM APIs as compressed cassettes.",
        version: TapeDeckVersion.current,
        subcommands: [RecordCommand.self, ReplayCommand.self, ExampleUpstreamCommand.self])
}
