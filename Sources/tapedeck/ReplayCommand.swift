import ArgumentParser
import Foundation
import Logging
import TapeDeck
import TapeDeckProxy

/// `tapedeck replay`: a cassette served over HTTP.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Serve a cassette as a local HTTP server, with the same matching as the library.",
        discussion: "A request nothing matches gets a 404 whose JSON body explains the miss; it is printed here too.")

    @Option(help: "The cassette file to serve.")
    var cassette: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .customLong("timing-scale"), help: "Replay streamed answers with their recorded gaps times this factor (0: instant).")
    var timingScale: Double = 0

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        try validatePort(port)
        guard timingScale.isFinite, (0...1000).contains(timingScale) else {
            throw ValidationError("--timing-scale \(timingScale) must be a number from 0 (instant) to 1000")
        }
    }

    func run() async throws {
        Console.setUp()
        let loaded = try loadCassette(cassette, limitOptions)
        loaded.warnings.forEach { Console.warning($0) }
        if !Console.isLoopback(host) {
            Console.warning("listening on \(host), not on loopback: other machines can reach this server")
        }
        let server = try await HTTPServer.bind(host: host, port: port)
        let replay = ReplayServer(cassette: loaded, source: cassette, timingScale: timingScale, logger: Logger(label: "tapedeck.replay"))
        Console.line("tapedeck: replaying \(cassette) (\(loaded.interactions.count) interactions) on http://\(host):\(server.port)")
        if try await serveUntilSignalled(server, replay) {
            Console.warning("exchanges still in flight after the grace period were cancelled")
        }
        Console.line("tapedeck: stopped; \(replay.unplayed) interaction\(replay.unplayed == 1 ? "" : "s") never requested")
    }
}
