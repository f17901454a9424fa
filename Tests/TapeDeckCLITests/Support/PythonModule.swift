import Foundation

/// Optional Python packages that some end-to-end tests drive (a real third-party client).
enum PythonModule {
    /// Whether `python3 -c "import NAME"` succeeds on this machine.
    static func isInstalled(_ name: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(name)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
