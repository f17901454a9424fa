import ArgumentParser
import Foundation
import Logging
import NIOPosix
import TapeDeck
import TapeDeckProxy

/// `tapedeck record`: the recording proxy.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Forward requests to an upstream and record every exchange into a cassette.",
        discussion: """
            Point a client at the printed address instead of the upstream. Each finished exchange is \
            appended to the cassette at once, credentials removed. Ctrl-C (SIGINT) or SIGTERM stops \
            accepting, finishes what is in flight, compacts the cassette and prints a summary.
            """)

    @Option(help: "The upstream base URL, e.g. https://api.deepseek.com")
    var upstream: String

    @Option(help: "The cassette file to record into (.tape).")
    var cassette: String

    @Option(help: "The address to listen on. Anything but loopback exposes the proxy, and the credentials it forwards, to the network.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(help: "Keep an existing cassette and add the new exchanges to it.")
    var append = false

    @Flag(help: "Replace an existing cassette.")
    var overwrite = false

    @Option(name: .customLong("redact-header"), help: "Another header to treat as a credential (repeatable).")
    var redactHeaders: [String] = []

    @Option(name: .customLong("redact-query"), help: "Another query parameter to treat as a credential (repeatable).")
    var redactQueries: [String] = []

    @Option(name: .customLong("upstream-timeout"), help: "Seconds the upstream may send nothing before the client gets a 504 (long enough for slow LLM streams).")
    var upstreamTimeout: Int = 300

    @Option(name: .customLong("client-timeout"), help: "Seconds a client connection may sit idle, or take to send its request, before it is closed.")
    var clientTimeout: Int = 60

    @Option(name: .customLong("max-request-body"), help: "The largest request body accepted (e.g. 64M); a larger one gets a 413.")
    var maxRequestBody: String = "64M"

    @Option(name: .customLong("redact-field"), help: "Another JSON or form body field to treat as a credential (repeatable).")
    var redactFields: [String] = []

    @Option(help: "A PEM file of CA certificates to trust for the upstream instead of the system's.")
    var cacert: String?

    @Option(name: .customLong("record-as"), help: ArgumentHelp(
        "Record URLs under this base URL instead of the upstream's.",
        discussion: "For a stand-in upstream: record against `tapedeck example-upstream` as if it were https://api.deepseek.com, so tests that use the real base URL replay the cassette."))
    var recordAs: String?

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        try validatePort(port)
        guard (1...86_400).contains(upstreamTimeout) else { throw ValidationError("--upstream-timeout \(upstreamTimeout) must be from 1 to 86400 seconds") }
        guard (1...86_400).contains(clientTimeout) else { throw ValidationError("--client-timeout \(clientTimeout) must be from 1 to 86400 seconds") }
        guard CassetteLimits.parseByteCount(maxRequestBody) != nil else { throw ValidationError("--max-request-body \(maxRequestBody) is not a byte count (e.g. 64M)") }
        if append && overwrite { throw ValidationError("--append and --overwrite exclude each other") }
    }

    func run() async throws {
        Console.setUp()
        let target = try UpstreamTarget(upstream)
        if let recordAs { _ = try UpstreamTarget(recordAs, option: "--record-as") }
        let file = URL(fileURLWithPath: cassette)
        try checkCassettePath(file)
        let client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton, caCertificateFile: cacert,
                                        readTimeout: .seconds(Int64(upstreamTimeout)))
        if !Console.isLoopback(host) {
            Console.warning("listening on \(host), not on loopback: anyone who can reach this address can use the credentials the proxy forwards")
        }

        let limits = ServerLimits(maximumRequestBody: CassetteLimits.parseByteCount(maxRequestBody) ?? ServerLimits.standard.maximumRequestBody,
                                  clientIdleTimeout: .seconds(clientTimeout))
        let server = try await HTTPServer.bind(host: host, port: port, limits: limits)
        var matching = MatchConfiguration.standard
        matching.redaction = RedactionRules.standard.adding(headers: redactHeaders, queryParameters: redactQueries, bodyFields: redactFields)
        let logger = Logger(label: "tapedeck.record")
        let recorder = CassetteRecorder(url: file, start: append ? .append(limits: try limitOptions.limits()) : .create(overwrite: overwrite),
                                        matching: matching, writeFailed: RecordingProxy.reportUnrecorded(to: logger))
        try recorder.open()
        recorder.warnings.forEach { Console.warning($0) }
        let proxy = RecordingProxy(upstream: target, recordAs: recordAs, client: client, recorder: recorder, logger: logger)
        Console.line("tapedeck: recording on http://\(displayHost):\(server.port) -> \(target.baseURL) into \(cassette)")
        if let cancelled = try await serveUntilSignalled(server, proxy) { Console.warning(cancelled.warning(recording: true)) }
        await client.shutdown()

        try recorder.close(limits: limitOptions.limits())
        let summary = proxy.summary
        let compressed = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        let raw = (try? Cassette(contentsOf: file, limits: limitOptions.limits()).encodedLines().count) ?? 0
        let kinds = summary.credentialKinds.sorted().map(\.rawValue)
        Console.line("tapedeck: stopped; \(summary.interactions) interaction\(summary.interactions == 1 ? "" : "s") recorded into \(cassette) "
            + "(\(raw) bytes raw, \(compressed) bytes compressed); credentials removed: \(kinds.isEmpty ? "none" : kinds.joined(separator: ", "))")
    }

    private var displayHost: String { host.contains(":") ? "[\(host)]" : host }

    /// Refuses, before listening, a cassette the proxy could not or should not write.
    private func checkCassettePath(_ file: URL) throws {
        let folder = file.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError("the folder \(folder) of --cassette \(cassette) does not exist; create it first")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw CLIError("the folder \(folder) of --cassette \(cassette) is not writable")
        }
        if FileManager.default.fileExists(atPath: file.path) {
            guard append || overwrite else {
                throw CLIError("the cassette \(cassette) already exists; pass --append to add to it or --overwrite to replace it")
            }
            if append {
                _ = try loadCassette(file.path, limitOptions)  // a cassette we cannot read is not appended to
            }
        }
    }
}
