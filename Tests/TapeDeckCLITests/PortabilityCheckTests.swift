// check-portability: skip-file (its fixtures spell the Linux-only names the script looks for)
import Foundation
import TapeDeckTestSupport
import Testing

/// `Scripts/check-portability.sh` in a real git repository: each thing that breaks a Mac
/// checkout or build is named, and a clean tree passes.
@Suite struct PortabilityCheckTests {
    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/check-portability.sh").path

    /// A git repository holding `files`, checked by the script: its output and exit status.
    private func check(_ files: [String: String]) async throws -> (output: String, status: Int) {
        let directory = try TemporaryDirectory()
        for (path, text) in files {
            let url = directory.file(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let repo = directory.url.path
        let output = try await sh("cd '\(repo)' && git init -q . && git add -A && { bash '\(Self.script)' '\(repo)' 2>&1; echo \"exit $?\"; }")
        let lines = output.split(separator: "\n")
        return (lines.dropLast().joined(separator: "\n"), Int(lines.last?.split(separator: " ").last ?? "") ?? -1)
    }

    @Test func aCleanTreePasses() async throws {
        let result = try await check([
            "Package.swift": #".library(name: "Core", targets: ["Core"]), .target(name: "Core"), .executable(name: "core-cli", targets: ["CoreCLI"])"#,
            "Sources/Core/A.swift": "import Foundation\n",
            "Tests/CoreTests/Socket.swift": "#if os(Linux)\nlet t = Int32(SOCK_STREAM.rawValue)\nlet m = \"/proc/self\"\n#else\nlet t = SOCK_STREAM\n#endif\n",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("check-portability: OK"))
    }

    @Test func aFileThatOptsOutIsSkippedAndListed() async throws {
        let result = try await check([
            "Tests/CoreTests/Fixtures.swift": "// check-portability: skip-file (fixtures)\nlet s = \"ulimit -v 1\"\n",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("skipped by their own request: Tests/CoreTests/Fixtures.swift"), "\(result.output)")
    }

    @Test func pathsTargetsAndProductsThatDifferOnlyInCaseAreNamed() async throws {
        let result = try await check([
            "Package.swift": #".library(name: "Core", targets: ["Core"]), .executable(name: "core", targets: ["core"])"#,
            "Sources/Core/A.swift": "import Foundation\n",
            "Sources/core/main.swift": "print(1)\n",
        ])
        #expect(result.status == 1)
        #expect(result.output.contains("paths differ only in case (one folder or file on a case-insensitive disk): Sources/Core, Sources/core"), "\(result.output)")
        #expect(result.output.contains("Package.swift: target or product names differ only in case"), "\(result.output)")
        #expect(result.output.contains("Core, core"))
    }

    @Test func glibcSpellingsAndLinuxOnlyTestMechanicsOutsideALinuxBranchAreNamedWithTheirLine() async throws {
        let result = try await check([
            "Sources/Core/Net.swift": "import Foundation\nlet t = Int32(SOCK_STREAM.rawValue)\n",
            "Tests/CoreTests/Limits.swift": "#if !os(Linux)\nlet a = 1\n#else\nlet ok = \"ulimit -v 1\"\n#endif\nlet bad = \"ulimit -v 2097152\"\nlet proc = \"/proc/self/status\"\n",
        ])
        #expect(result.status == 1)
        #expect(result.output.contains("Sources/Core/Net.swift:2: a Glibc-only spelling"), "\(result.output)")
        #expect(result.output.contains("Tests/CoreTests/Limits.swift:6: a Linux-only test mechanic"), "\(result.output)")
        #expect(result.output.contains("Tests/CoreTests/Limits.swift:7: a Linux-only test mechanic"), "\(result.output)")
        #expect(!result.output.contains("Limits.swift:4"), "the #else of '#if !os(Linux)' is Linux-only")
    }
}
