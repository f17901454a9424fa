import ArgumentParser
import Foundation
import NIOPosix
import TapeDeck
import TapeDeckProxy
import TapeDeckTools

/// `tapedeck drift`: does a recorded answer still tell the truth? Re-sends every recorded request
/// to the live API and compares the answers as JSON.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Re-send recorded requests to the live API and report what changed (models added and removed, JSON paths).",
        discussion: """
            Credentials are never read from or written to a cassette: pass them with --header and --query, \
            usually from environment variables. A credential whose name a recorded request carried (its redacted \
            kinds) is sent with that request only; one no request carried is sent with every request. \
            Exit 0 when nothing drifted, 1 on drift, 2 for a usage error or an upstream that cannot be reached \
            or refuses the credentials. Nothing is written unless --update.
            """)

    @Argument(help: "The cassette files.") var files: [String]
    @Option(help: "A base URL to send to instead of each request's recorded scheme, host and port (e.g. a stand-in).")
    var upstream: String?
    @Option(name: .customLong("header"), help: "A header to send, 'Name: value' (repeatable); treated as a credential.")
    var headers: [String] = []
    @Option(name: .customLong("query"), help: "A query parameter to send, name=value (repeatable); treated as a credential.")
    var queries: [String] = []
    @Option(name: .customLong("ignore"), help: "Another JSON field to ignore wherever it is (repeatable).")
    var ignored: [String] = []
    @Flag(name: .customLong("compare-volatile"), help: "Also compare the fields ignored by default (created, created_at, request ids, dates).")
    var compareVolatile = false
    @Flag(help: "Print one JSON document instead of the readable report.") var json = false
    @Flag(help: "Re-record the drifted interactions in place (redacted, atomically).") var update = false
    @Option(help: "A PEM file of CA certificates to trust for HTTPS upstreams.") var cacert: String?
    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one cassette file") }
        _ = try parsedHeaders()
        _ = try parsedQueries()
        if let upstream {
            do { _ = try UpstreamTarget(upstream) } catch { throw ValidationError(error.description) }
        }
    }

    private func parsedHeaders() throws -> [(String, String)] {
        try headers.map { text in
            guard let colon = text.firstIndex(of: ":"), !text[..<colon].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--header \(text.split(separator: ":").first.map(String.init) ?? "") must be 'Name: value'")
            }
            return (text[..<colon].trimmingCharacters(in: .whitespaces), text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    private func parsedQueries() throws -> [(String, String)] {
        try queries.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--query \(text.split(separator: "=").first.map(String.init) ?? "") must be name=value")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
    }

    func run() async throws {
        let credentialHeaders = try parsedHeaders(), credentialQueries = try parsedQueries()
        let client: UpstreamClient
        let resender: LiveResender
        do {
            client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton, caCertificateFile: cacert)
            resender = LiveResender(client: client, upstream: try upstream.map { try UpstreamTarget($0) })
        } catch let error as ProxyError {
            throw ValidationError(error.message)
        }
        var volatile = compareVolatile ? Set<String>() : ResponseDrift.defaultVolatileFields
        volatile.formUnion(ignored)
        // Everything the user passed is a credential: learned, so it is scrubbed from what --update writes.
        let rules = RedactionRules.standard.adding(headers: credentialHeaders.map(\.0), queryParameters: credentialQueries.map(\.0))

        var report = DriftReport()
        var pending: [(file: String, cassette: Cassette)] = []  // written only once every file was checked
        for file in files {
            var cassette = try loadCassette(file, limitOptions)
            let carried = Set(cassette.interactions.flatMap(\.request.redacted))
            var entry = DriftReport.File(path: file, entries: [])
            var redactor = Redactor(rules: rules)
            var changed = false
            for (index, interaction) in cassette.interactions.enumerated() {
                let request = interaction.request
                let sendHeaders = credentialHeaders.filter { request.redacted.contains(.header($0.0)) || !carried.contains(.header($0.0)) }
                let sendQueries = credentialQueries.filter { request.redacted.contains(.query($0.0)) || !carried.contains(.query($0.0)) }
                let live: RecordedResponse
                do {
                    live = try await resender.send(request, headers: sendHeaders, queries: sendQueries)
                } catch let error as ProxyError {
                    throw DriftFailure("\(file): #\(index + 1) \(request.method) \(request.url): \(error.message)")
                }
                if [401, 403].contains(live.status), live.status != interaction.response.status {
                    throw DriftFailure("\(file): #\(index + 1) \(request.method) \(request.url): the upstream answered \(live.status) (recorded: \(interaction.response.status)); check the credentials passed with --header or --query")
                }
                let drift = ResponseDrift.compare(recorded: interaction.response, live: live, volatile: volatile)
                entry.entries.append(DriftReport.Entry(number: index + 1, method: request.method, url: request.url, drift: drift))
                if update, drift.verdict == .drifted {
                    // The live exchange, redacted as a recording is: the credentials sent are learned and scrubbed.
                    var sent = request
                    for (name, value) in sendHeaders { sent.headers.append(name: name, value: value) }
                    let redacted = redactor.redact(Interaction(request: sent, response: live))
                    cassette.interactions[index] = Interaction(request: request, response: redacted.response)
                    changed = true
                }
            }
            if changed {
                pending.append((file, cassette))
                entry.updated = true
            }
            report.files.append(entry)
        }
        for (file, cassette) in pending {
            do {
                try cassette.write(to: URL(fileURLWithPath: file))
            } catch {
                throw DriftFailure("\(error)")
            }
        }
        if json {
            FileHandle.standardOutput.write(report.json() + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.text().utf8))
        }
        if report.driftedCount > 0 { throw ExitCode(1) }
    }
}

/// An upstream that cannot be reached or refuses the credentials: exit status 2, nothing written.
struct DriftFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
