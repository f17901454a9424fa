import Foundation
import TapeDeck

/// Sends a request to the real upstream while recording, with the `curl` command.
///
/// Not URLSession: the replay protocol answers inside `startLoading`, and on Linux every
/// URLSession's work runs on one shared serial queue, so waiting there for another URLSession
/// would wait forever. `curl` runs outside that queue, speaks HTTPS with the system's trust
/// store, and streams the body as it arrives, so chunk timing is recorded too.
struct LiveFetcher: Sendable {
    /// Headers not forwarded: curl sets its own framing, and an identity body is stored decoded.
    private static let skippedRequestHeaders: Set<String> = ["accept-encoding", "content-length", "host", "connection", "expect", "transfer-encoding"]
    private static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]

    func fetch(_ request: RecordedRequest, cassette: String) throws(ReplayError) -> RecordedResponse {
        let label = "\(request.method) \(request.url)"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-record-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): no temporary folder (\(error))")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerFile = folder.appendingPathComponent("headers")

        var arguments = ["curl", "--silent", "--show-error", "--no-buffer", "--request", request.method,
                         "--dump-header", headerFile.path, "--output", "-", "--max-time", "300", "--header", "Expect:"]
        for header in request.headers where !Self.skippedRequestHeaders.contains(header.name.lowercased()) {
            arguments += ["--header", "\(header.name): \(header.value)"]
        }
        if let body = request.body {
            let bodyFile = folder.appendingPathComponent("body")
            do {
                try body.write(to: bodyFile)
            } catch {
                throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): cannot stage the request body (\(error))")
            }
            arguments += ["--data-binary", "@" + bodyFile.path]
        }
        arguments += ["--url", request.url]

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
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
            let elapsed = ContinuousClock.now - start
            pieces.append((data, Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)))
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
            if hopByHop.contains(name.lowercased()) { continue }
            headers.append(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let body = Data(pieces.map(\.data).joined())
        let chunks = pieces.map { ResponseChunk(size: $0.data.count, milliseconds: $0.milliseconds) }
        let streamed = headers["Content-Type"]?.lowercased().hasPrefix("text/event-stream") == true
        // Stored decoded: the recorded bytes are what the client reads after decoding.
        let (response, warning) = RecordedResponse(status: status, headers: headers, body: body, chunks: streamed ? chunks : nil).decodedForStorage()
        if let warning {
            FileHandle.standardError.write(Data("tapedeck: WARNING: \(label) recorded into \(cassette): \(warning)\n".utf8))
        }
        return response
    }
}
