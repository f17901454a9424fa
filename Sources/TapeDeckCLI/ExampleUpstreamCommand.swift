import ArgumentParser
import Foundation
import TapeDeckProxy
import TapeDeckUpstreamTools

/// `tapedeck example-upstream`: the reference server recordings are made against without a key.
struct ExampleUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example-upstream",
        abstract: "Serve the documented list-models calls (DeepSeek, a multi-format gateway, Gemini, Anthropic) locally.",
        discussion: "GET / lists the APIs and their paths. No key, no network: this is what the scripts and tests record against.")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8081

    @Flag(name: .customLong("moved-on"), help: "Serve model lists that have moved on (one model retired, one added per API), to try `tapedeck drift`.")
    var movedOn = false

    @Option(name: .customLong("stream-gap"), help: ArgumentHelp("Milliseconds between the events of a streamed answer (the default is 50).", valueName: "ms"))
    var streamGap: Int?

    func validate() throws {
        try validatePort(port)
        if let streamGap, !(0...60_000).contains(streamGap) { throw ValidationError("--stream-gap \(streamGap): give 0 to 60000 milliseconds") }
    }

    func run() async throws {
        Console.setUp()
        let server = try await HTTPServer.bind(host: host, port: port)
        Console.line("tapedeck: example upstream on http://\(host):\(server.port) (GET / lists the APIs)\(movedOn ? "; model lists have moved on" : "")")
        try await serveUntilSignalled(server, ExampleUpstream(movedOn: movedOn, streamGap: streamGap))
    }
}
