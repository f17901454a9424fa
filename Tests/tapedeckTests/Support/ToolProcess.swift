import Foundation
import TapeDeckTestSupport

/// The built `tapedeck` binary, run as a child process.
final class ToolProcess: @unchecked Sendable {
    /// `.build/<config>/tapedeck`, beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tapedeck").path

    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var outputText = ""
    private var errorText = ""

    init(_ arguments: [String], in directory: URL) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.lock.withLock { self?.outputText += String(decoding: data, as: UTF8.self) }
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.lock.withLock { self?.errorText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// A process a test started never outlives the test: however the test ends (an expectation
    /// failed, an error was thrown), releasing this object kills what is still running.
    deinit {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var standardOutput: String { lock.withLock { outputText } }
    var standardError: String { lock.withLock { errorText } }

    /// The first line of standard output, waiting up to `seconds` for it.
    func firstLine(within seconds: Double = 30) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let text = standardOutput
            if let newline = text.firstIndex(of: "\n") { return String(text[..<newline]) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ToolFailure("no first line from tapedeck \(process.arguments ?? []); stderr: \(standardError)")
    }

    /// The `http://127.0.0.1:PORT` in the first line.
    func address() async throws -> String {
        let line = try await firstLine()
        guard let range = line.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
            throw ToolFailure("no address in: \(line)")
        }
        return String(line[range])
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end; its exit status.
    func wait() async throws -> Int32 {
        let process = self.process
        return try await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Runs the tool to completion.
    static func run(_ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String, errors: String) {
        let tool = try ToolProcess(arguments, in: directory)
        let status = try await tool.wait()
        try await Task.sleep(for: .milliseconds(50))  // let the pipe handlers drain
        return (status, tool.standardOutput, tool.standardError)
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
