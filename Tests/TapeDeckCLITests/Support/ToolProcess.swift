import Foundation
import TapeDeckTestSupport

/// The built `tapedeck-cli` binary, run as a child process.
final class ToolProcess: @unchecked Sendable {
    /// The built `tapedeck-cli`: `TAPEDECK_CLI` when set, else the first folder of
    /// ``binaryFolders`` that holds it.
    static let binary: String = {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["TAPEDECK_CLI"], !override.isEmpty { return override }
        let candidates = binaryFolders().map { $0.appendingPathComponent("tapedeck-cli").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    /// Where SwiftPM puts the products, in the order they are tried, chosen at run time on every
    /// platform. On macOS `swift test` runs the tests inside the toolchain's `xctest` or
    /// `swiftpm-testing-helper`, so `CommandLine.arguments[0]` is not in the build folder: the
    /// products sit beside the `.xctest` bundle this class was loaded from. On Linux the test
    /// binary itself sits in the build folder.
    static func binaryFolders() -> [URL] {
        let bundle = Bundle(for: ToolProcess.self).bundleURL
        var folders = [bundle.deletingLastPathComponent()]
        if bundle.pathExtension != "xctest" { folders.append(bundle) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return folders
    }

    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    /// What the process wrote so far. Held by the reading threads, not `self`, so releasing
    /// this object still kills a process that is running.
    private let captured = Captured()
    /// Left once by each pipe when it reaches its end (the process closed it).
    private let drained = DispatchGroup()

    private final class Captured: @unchecked Sendable {
        let lock = NSLock()
        var output = ""
        var errors = ""
    }

    /// Starts the built `tapedeck-cli` with `arguments`.
    convenience init(_ arguments: [String], in directory: URL) throws {
        try self.init(executable: Self.binary, arguments, in: directory)
    }

    /// Starts `executable` (a path, or a command looked up on `PATH`) with `arguments`.
    init(executable: String, _ arguments: [String], in directory: URL) throws {
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        }
        let arguments = executable.contains("/") ? arguments : [executable] + arguments
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = errors
        // Each pipe is read to its end on a thread of its own (blocking reads stay off the
        // cooperative pool); `drained` is left when both ends are reached.
        for (pipe, isOutput) in [(output, true), (errors, false)] {
            drained.enter()
            let handle = pipe.fileHandleForReading, captured = self.captured, drained = self.drained
            Thread {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    let text = String(decoding: data, as: UTF8.self)
                    captured.lock.withLock { if isOutput { captured.output += text } else { captured.errors += text } }
                }
                drained.leave()
            }.start()
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

    var standardOutput: String { captured.lock.withLock { captured.output } }
    var standardError: String { captured.lock.withLock { captured.errors } }

    /// The first line of standard output, waiting up to `seconds` for it.
    func firstLine(within seconds: Double = 30) async throws -> String {
        if let line = try await poll(within: seconds, { text in text.firstIndex(of: "\n").map { String(text[..<$0]) } }) { return line }
        throw ToolFailure("no first line from tapedeck \(process.arguments ?? []); stderr: \(standardError)")
    }

    /// Waits until standard output (or, with `inErrors`, standard error) contains `text`.
    func waitFor(_ text: String, inErrors: Bool = false, within seconds: Double = 30) async throws {
        let found = try await poll(within: seconds, inErrors: inErrors) { $0.contains(text) ? true : nil }
        if found == nil {
            throw ToolFailure("'\(text)' never appeared from \(process.arguments ?? []); stdout: \(standardOutput); stderr: \(standardError)")
        }
    }

    /// Checks the captured output (standard error with `inErrors`) until `check` finds what it
    /// looks for or `seconds` pass. A process that has exited is checked once more after both
    /// pipes were read to their end, so output written just before it exited is not missed.
    private func poll<T>(within seconds: Double, inErrors: Bool = false, _ check: (String) -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let captured = { inErrors ? self.standardError : self.standardOutput }
        while ContinuousClock.now < deadline {
            if let found = check(captured()) { return found }
            if !process.isRunning {
                _ = try await waitForOutput()
                return check(captured())
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
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

    /// Waits for the process to end and for both pipes to reach their end, so the captured
    /// output is complete; its exit status.
    func waitForOutput() async throws -> Int32 {
        let status = try await wait()
        let drained = self.drained
        try await offPool { drained.wait() }
        return status
    }

    /// Runs the tool to completion.
    static func run(_ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String, errors: String) {
        let tool = try ToolProcess(arguments, in: directory)
        let status = try await tool.waitForOutput()
        return (status, tool.standardOutput, tool.standardError)
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
