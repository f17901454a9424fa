#if os(macOS) || os(Linux)
import Foundation
import TapeDeck

/// Records with the `curl` command (Linux).
///
/// Not URLSession: the replay protocol answers inside `startLoading`, and on Linux every
/// URLSession's work runs on one shared serial queue, so waiting there for another URLSession
/// would wait forever (``FoundationFlavor/waitsOnSharedQueue``). `curl` runs outside that queue,
/// speaks HTTPS with the system's trust store, and streams the body as it arrives, so chunk
/// timing is recorded too.
///
/// No credential is ever on curl's command line (where `ps` shows it to every user): the URL
/// and the headers go in a curl config file and the body in a file, both readable by the owner
/// only, in a folder of the owner's only, removed when the fetch ends.
struct CurlFetcher: LiveFetching {
    func fetch(_ request: RecordedRequest, cassette: String) throws(ReplayError) -> RecordedResponse {
        let label = "\(request.method) \(request.url)"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-record-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): no private temporary folder (\(error))")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerFile = folder.appendingPathComponent("response-headers")
        let configFile = folder.appendingPathComponent("request.curlrc")

        var config = ["url = \(Self.quoted(request.url))"]
        for header in request.headers where !LiveFetchers.skippedRequestHeaders.contains(header.name.asciiLowercased) {
            config.append("header = \(Self.quoted("\(header.name): \(header.value)"))")
        }
        if let body = request.body {
            let bodyFile = folder.appendingPathComponent("request-body")
            guard FileManager.default.createFile(atPath: bodyFile.path, contents: body, attributes: [.posixPermissions: 0o600]) else {
                throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): cannot stage the request body")
            }
            config.append("data-binary = \(Self.quoted("@" + bodyFile.path))")
        }
        guard FileManager.default.createFile(atPath: configFile.path, contents: Data((config.joined(separator: "\n") + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): cannot stage the request")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--silent", "--show-error", "--no-buffer", "--request", request.method,
                             "--dump-header", headerFile.path, "--output", "-", "--max-time", "300", "--header", "Expect:",
                             "--config", configFile.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): the curl command could not be started (\(error)); install curl to record")
        }
        // Read the body as it arrives, timing each piece.
        let start = ContinuousClock.now
        var pieces: [(data: Data, milliseconds: Int)] = []
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            pieces.append((data, ResponseChunk.milliseconds(since: start)))
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = message.isEmpty ? "curl exited with status \(process.terminationStatus)" : message
            if process.terminationStatus == 127 {
                throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): the curl command was not found; install curl to record")
            }
            throw ReplayError(.upstream, cassette: cassette, reason: "recording \(label) failed: \(reason)")
        }
        let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        return try Self.response(headerText: headerText, pieces: pieces, label: label, cassette: cassette)
    }

    /// A value in a curl config file: double-quoted, with `\` and `"` escaped and line breaks
    /// written as escapes, so no value can end its line or start another option.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(character)
            }
        }
        return out + "\""
    }

    /// The last header block curl dumped (after any `100 Continue`), and the body.
    static func response(headerText: String, pieces: [(data: Data, milliseconds: Int)], label: String, cassette: String) throws(ReplayError) -> RecordedResponse {
        let blocks = headerText.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").filter { !$0.isEmpty }
        guard let block = blocks.last else {
            throw ReplayError(.upstream, cassette: cassette, reason: "recording \(label) failed: the upstream sent no response head")
        }
        let lines = block.split(separator: "\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ReplayError(.upstream, cassette: cassette, reason: "recording \(label) failed: unreadable status line '\(lines[0])'")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            headers.append(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return LiveFetchers.stored(status: status, headers: headers, pieces: pieces, label: label, cassette: cassette)
    }
}
#endif
