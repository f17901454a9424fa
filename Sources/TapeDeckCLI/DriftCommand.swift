import ArgumentParser
import Foundation
import NIOPosix
import TapeDeck
import TapeDeckProxy
import TapeDeckUpstreamTools
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
            or refuses the credentials, or when answers could not be compared (a live 429, 5xx or redirect). \
            Nothing is written unless --update, and then only 2xx answers of the kind recorded, into files that did \
            not change while drift ran, all of them or none. No credential is ever printed: the report and every \
            message are scrubbed of what was passed. Credentials go over plain http:// only to this machine \
            unless --allow-insecure.
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
    @Option(name: .customLong("upstream-timeout"), help: "Seconds an upstream may send nothing before the check fails (default 60).")
    var upstreamTimeout = 60
    @Option(help: "Seconds the whole check may take, every interaction of every cassette (default 600).")
    var deadline = 600
    @Flag(name: .customLong("allow-insecure"), help: "Send the credentials over plain http:// to a host that is not this machine.")
    var allowInsecure = false
    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one cassette file") }
        guard (1...86_400).contains(upstreamTimeout) else { throw ValidationError("--upstream-timeout \(upstreamTimeout) must be from 1 to 86400 seconds") }
        guard (1...86_400).contains(deadline) else { throw ValidationError("--deadline \(deadline) must be from 1 to 86400 seconds") }
        _ = try parsedHeaders()
        _ = try parsedQueries()
        if let upstream {
            do { _ = try UpstreamTarget(upstream) } catch { throw ValidationError(error.description) }
        }
    }

    private func parsedHeaders() throws -> HTTPHeaders {
        HTTPHeaders(try headers.map { text in
            guard let colon = text.firstIndex(of: ":"), !text[..<colon].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--header \(text.split(separator: ":").first.map(String.init) ?? "") must be 'Name: value'")
            }
            let name = text[..<colon].trimmingCharacters(in: .whitespaces), value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            try Self.refuseControlCharacters(value, option: "--header \(name)")
            return HTTPHeader(name: name, value: value)
        })
    }

    private func parsedQueries() throws -> [(String, String)] {
        try queries.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--query \(text.split(separator: "=").first.map(String.init) ?? "") must be name=value")
            }
            let name = String(text[..<equals]), value = String(text[text.index(after: equals)...])
            try Self.refuseControlCharacters(value, option: "--query \(name)")
            return (name, value)
        }
    }

    /// A value with a carriage return or another control character (a key read from a file with
    /// Windows line endings) is refused without being printed.
    private static func refuseControlCharacters(_ value: String, option: String) throws {
        if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw ValidationError("\(option): the value holds a carriage return, line feed or other control character (a key read from a file with Windows line endings?); strip it. The value is not shown")
        }
    }

    func run() async throws {
        let credentialHeaders = try parsedHeaders(), credentialQueries = try parsedQueries()
        let limit = try limitOptions.limits().maximumRawBytes
        let client: UpstreamClient
        let resender: LiveResender
        do {
            client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton, caCertificateFile: cacert,
                                        readTimeout: .seconds(Int64(upstreamTimeout)))
            resender = LiveResender(client: client, upstream: try upstream.map { try UpstreamTarget($0) })
        } catch let error as ProxyError {
            throw ValidationError(error.message)
        }
        // Every credential passed is learned, in every form the redactor knows: scrubbed from what
        // --update writes, and from everything printed.
        let rules = RedactionRules.standard.adding(headers: credentialHeaders.map(\.name), queryParameters: credentialQueries.map(\.0))
        var secrets = Redactor(rules: rules)
        for field in credentialHeaders { secrets.learnCredential(named: field.name, value: field.value) }
        for (name, value) in credentialQueries { secrets.learnCredential(named: name, value: value) }
        let scrub = Locked(secrets)
        let shown = { (text: String) in scrub.withLock { $0.scrubbed(text) } }

        let outcome: DriftOutcome
        do {
            outcome = try await checkAll(credentialHeaders, credentialQueries, resender: resender, secrets: secrets, limit: limit,
                                         until: .now + .seconds(deadline))
        } catch let failure as DriftFailure {
            throw DriftFailure(shown(failure.description))
        } catch let error as CLIError {
            throw CLIError(shown(error.description))
        }
        let report = outcome.report
        FileHandle.standardOutput.write(Data(shown(json ? String(decoding: report.json(), as: UTF8.self) + "\n" : report.text()).utf8))
        outcome.warnings.forEach { Console.warning(shown($0)) }
        if !outcome.pending.isEmpty { try writeAllOrNone(outcome.pending, limit: limit) }
        if report.driftedCount > 0 { throw ExitCode(1) }
        if report.unavailableCount > 0 { throw ExitCode(2) }
    }

    /// What checking every cassette found, and the cassettes to rewrite.
    struct DriftOutcome {
        var report = DriftReport()
        var pending: [PendingUpdate] = []
        var warnings: [String] = []
    }

    private func checkAll(_ credentialHeaders: HTTPHeaders, _ credentialQueries: [(String, String)], resender: LiveResender,
                          secrets: Redactor, limit: Int, until deadline: ContinuousClock.Instant) async throws -> DriftOutcome {
        var volatile = compareVolatile ? Set<String>() : ResponseDrift.defaultVolatileFields
        volatile.formUnion(ignored)
        var outcome = DriftOutcome()
        for file in files {
            var (cassette, original) = try loadCassetteAndBytes(file, limitOptions)
            let carried = Set(cassette.interactions.flatMap(\.request.redacted))
            var entry = DriftReport.File(path: file, entries: [])
            var redactor = secrets
            var changed = false
            // An answer made in code (a stub) was never the live API's: nothing to compare.
            for (index, interaction) in cassette.interactions.enumerated() where interaction.stub == nil {
                let request = interaction.request
                let place = "\(file): #\(index + 1) \(request.method) \(request.url)"
                let sendHeaders = HTTPHeaders(credentialHeaders.filter { request.redacted.contains(.header($0.name)) || !carried.contains(.header($0.name)) })
                let sendQueries = credentialQueries.filter { request.redacted.contains(.query($0.0)) || !carried.contains(.query($0.0)) }
                if !(sendHeaders.isEmpty && sendQueries.isEmpty), !allowInsecure, let url = try? resender.liveURL(for: request).target,
                   url.scheme == "http", !Console.isLoopback(url.host) {
                    throw DriftFailure("\(place): refusing to send credentials in clear text to \(url.baseURL) (plain http, not this machine); pass --allow-insecure if that is really meant")
                }
                let live: RecordedResponse, warning: String?
                do {
                    (live, warning) = try await resender.send(request, headers: sendHeaders, queries: sendQueries, limit: limit, deadline: deadline)
                } catch let error as ProxyError where error.kind == .upstreamTimeout && ContinuousClock.now >= deadline {
                    throw DriftFailure("\(place): the check did not finish within --deadline \(self.deadline) s; nothing was written")
                } catch let error as ProxyError {
                    throw DriftFailure("\(place): \(error.message)")
                } catch {
                    throw DriftFailure("\(place): \(error)")
                }
                if [401, 403].contains(live.status), live.status != interaction.response.status {
                    throw DriftFailure("\(place): the upstream answered \(live.status) (recorded: \(interaction.response.status)); check the credentials passed with --header or --query")
                }
                let drift = ResponseDrift.compare(recorded: interaction.response, live: live, volatile: volatile)
                entry.entries.append(DriftReport.Entry(number: index + 1, method: request.method, url: request.url, drift: drift))
                guard update, drift.verdict == .drifted else { continue }
                if let warning {
                    outcome.warnings.append("\(place): not re-recorded: \(warning)")
                } else if !(200...299).contains(live.status) || drift.recordedContentType != drift.liveContentType || drift.note != nil {
                    outcome.warnings.append("\(place): not re-recorded: only a 2xx answer of the kind recorded replaces a recording (live: \(live.status) \(drift.liveContentType ?? "no content type"))")
                } else {
                    // The live exchange, redacted as a recording is: the credentials sent are scrubbed.
                    var sent = request
                    for field in sendHeaders { sent.headers.append(name: field.name, value: field.value) }
                    if let url = try? resender.liveURL(for: request, queries: sendQueries) { sent.url = "\(url.target.scheme)://\(url.target.authority)\(url.requestTarget)" }
                    let redacted = redactor.redact(Interaction(request: sent, response: live))
                    cassette.interactions[index] = Interaction(request: request, response: redacted.response)
                    changed = true
                }
            }
            if changed {
                outcome.pending.append(PendingUpdate(file: file, cassette: cassette, original: original))
                entry.updated = true
            }
            outcome.report.files.append(entry)
        }
        return outcome
    }
}

/// An upstream that cannot be reached or refuses the credentials: exit status 2, nothing written.
struct DriftFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
