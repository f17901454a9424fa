import ArgumentParser
import Foundation
import Logging
import TapeDeck
import TapeDeckFaults
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

    @Option(name: .customLong("fault"), help: ArgumentHelp(
        "Inject a fault: '[METHOD] PATH key=value ...' (repeatable; the first that hits a request applies).",
        discussion: """
            PATH is the path without the query, or a prefix ending in '*'. Keys: status=CODE (answer with it \
            instead of the recording, which stays unplayed), header=Name:Value (with status=), delay=250ms|2s \
            (before the head), drop-after=BYTES (close the connection after that many body bytes), times=N \
            (only the first N matching requests) or every=N (the Nth, 2Nth, ...). \
            Example: --fault 'GET /models status=429 header=Retry-After:1 times=1'
            """,
        valueName: "spec"))
    var faultSpecifications: [String] = []

    @Option(name: .customLong("ignore-body-field"), help: ArgumentHelp(
        "Leave a JSON body field out of matching (repeatable): 'user' (any depth), 'metadata.trace_id', 'messages[*].id'.",
        valueName: "path"))
    var ignoredBodyFields: [String] = []

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        try validatePort(port)
        guard timingScale.isFinite, (0...1000).contains(timingScale) else {
            throw ValidationError("--timing-scale \(timingScale) must be a number from 0 (instant) to 1000")
        }
        _ = try faults()
        if let invalid = MatchConfiguration.standard.ignoringBodyFields(ignoredBodyFields).invalidIgnoredBodyFields.first {
            throw ValidationError("--ignore-body-field \(invalid) is not a path; write a name (user), a.b, a[*].b or a[0]")
        }
    }

    /// The `--fault` rules; one that does not parse is a usage error naming the part that is wrong.
    private func faults() throws -> [FaultRule] {
        try faultSpecifications.map { specification in
            do throws(FaultError) {
                return try FaultRule(parsing: specification)
            } catch {
                throw ValidationError("--fault: \(error.message)")
            }
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
        let replay = ReplayServer(cassette: loaded, source: cassette, matching: .standard.ignoringBodyFields(ignoredBodyFields),
                                  timingScale: timingScale, faults: try faults(), keepsRequests: false, logger: Logger(label: "tapedeck.replay"))
        replay.playback.matchingWarnings.forEach { Console.warning($0) }
        Console.line("tapedeck: replaying \(cassette) (\(loaded.interactions.count) interactions) on http://\(host):\(server.port)")
        if let cancelled = try await serveUntilSignalled(server, replay) { Console.warning(cancelled.warning(recording: false)) }
        Console.line("tapedeck: stopped; \(replay.unplayed) interaction\(replay.unplayed == 1 ? "" : "s") never requested")
    }
}
