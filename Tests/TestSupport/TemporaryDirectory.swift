public import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// `name` inside the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Runs a shell command line; returns its standard output. Throws on a non-zero exit.
@discardableResult
public func shell(_ command: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ShellFailure(description: "\(command) exited \(process.terminationStatus)") }
    return data
}

/// A command that exited with a failure status.
public struct ShellFailure: Error, CustomStringConvertible {
    public var description: String
}

/// Runs `body` on a thread of its own and awaits it: blocking waits (processes, sockets, pipes)
/// must not sit on the two threads of the cooperative pool, or the servers under test starve.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// `shell`, off the cooperative pool, as text.
public func sh(_ command: String) async throws -> String {
    try await offPool { String(decoding: try shell(command), as: UTF8.self) }
}

extension Data {
    /// Whether `needle` occurs anywhere in these bytes.
    public func contains(bytes needle: some Collection<UInt8>) -> Bool {
        range(of: Data(needle)) != nil
    }
}
