import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// Hostile files and flags through the real binary: one clear line and an exit status of 1 (a
/// bad file) or 2 (a bad flag), never a crash (a status of 128 or more is a signal).
@Suite struct HostileInputTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TapeDeckFuzzingTests/Regressions")
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cassettes")

    private func run(_ arguments: [String], in directory: TemporaryDirectory) async throws -> (status: Int32, output: String, errors: String) {
        try await ToolProcess.run(arguments, in: directory.url)
    }

    @Test(arguments: ["cassette-chunk-overflow.tape", "cassette-trailer-claims-4gib.tape", "cassette-lying-trailer.tape"])
    func aHostileCassetteIsOneLineAndExit1ForShowAndVerify(_ name: String) async throws {
        let directory = try TemporaryDirectory()
        let path = Self.regressions.appendingPathComponent(name).path
        for command in ["show", "verify"] {
            let result = try await run([command, path], in: directory)
            #expect(result.status == 1, "\(command) \(name): \(result.status) \(result.errors)")
            let lines = result.errors.split(separator: "\n")
            #expect(lines.count == 1, "\(command) \(name): \(result.errors)")
            #expect(lines.first?.contains(name) == true, "the line names the file")
        }
    }

    @Test func aGzipBombIsRefusedNamingTheLimitAndTheLimitCanBeLoweredOrRaised() async throws {
        let directory = try TemporaryDirectory()
        let bomb = Self.regressions.appendingPathComponent("cassette-bomb-1gib.tape").path
        let byDefault = try await run(["verify", bomb], in: directory)
        #expect(byDefault.status == 1)
        #expect(byDefault.errors.contains("refused: it inflates to more than 1073741824 bytes"))
        #expect(byDefault.errors.contains("TAPEDECK_MAX_CASSETTE_BYTES=<bytes> or --max-cassette-bytes"))
        let lowered = try await run(["show", bomb, "--max-cassette-bytes", "8M"], in: directory)
        #expect(lowered.status == 1)
        #expect(lowered.errors.contains("more than 8388608 bytes"))
        let nonsense = try await run(["show", bomb, "--max-cassette-bytes", "lots"], in: directory)
        #expect(nonsense.status == 2)
        #expect(nonsense.errors.contains("--max-cassette-bytes lots is not a byte count"))
    }

    @Test func aHARWhoseChunksOverflowImportsWithoutThem() async throws {
        let directory = try TemporaryDirectory()
        for name in ["har-chunk-overflow.har", "har-negative-chunks.har"] {
            let result = try await run(["import-har", Self.regressions.appendingPathComponent(name).path, "--cassette", "\(name).tape"], in: directory)
            #expect(result.status == 0, "\(name): \(result.errors)")
            #expect(try Cassette(contentsOf: directory.file("\(name).tape")).interactions.first?.response.chunks == nil)
        }
        let deep = try await run(["import-har", Self.regressions.appendingPathComponent("har-deep-nesting.har").path, "--cassette", "deep.tape"], in: directory)
        #expect(deep.status == 1)
        #expect(deep.errors.split(separator: "\n").count == 1)
    }

    @Test(arguments: ["inf", "nan", "-1", "1e9"])
    func aNonsenseTimingScaleIsAUsageError(_ scale: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await run(["replay", "--cassette", Self.shipped.appendingPathComponent("deepseek-models.tape").path,
                                    "--port", "0", "--timing-scale", scale], in: directory)
        #expect(result.status == 2, "\(scale): \(result.errors)")
        #expect(result.errors.contains("--timing-scale"))
        #expect(!result.output.contains("replaying"), "refused before listening")
    }

    @Test(arguments: ["-1", "60001", "fast"])
    func anExampleStreamGapOutOfRangeIsAUsageError(_ gap: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await run(["example-upstream", "--port", "0", "--stream-gap", gap], in: directory)
        #expect(result.status == 2, "\(gap): \(result.errors)")
        #expect(result.errors.contains("--stream-gap"))
        #expect(!result.output.contains("example upstream on"), "refused before listening")
    }

    @Test func aPortOutOfRangeIsAUsageError() async throws {
        let directory = try TemporaryDirectory()
        let result = try await run(["replay", "--cassette", "x.tape", "--port", "70000"], in: directory)
        #expect(result.status == 2)
        #expect(result.errors.contains("--port 70000 must be from 0 to 65535"))
    }

    @Test func aChunkRecordedAtTheEndOfTimeIsServedWithoutKillingReplay() async throws {
        let directory = try TemporaryDirectory()
        let cassette = Self.regressions.appendingPathComponent("cassette-chunk-ms-max.tape").path
        let replay = try ToolProcess(["replay", "--cassette", cassette, "--port", "0", "--timing-scale", "1"], in: directory.url)
        let address = try await replay.address()
        // The pause is clamped (10 minutes): the head arrives, the body waits; curl gives up.
        let head = try await sh("curl -s -o /dev/null -w '%{http_code}' --max-time 5 \(address)/models || true")
        #expect(head == "200")
        #expect(replay.process.isRunning, "the server survived the request")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
    }

    @Test func aFolderGivenAsACassetteSaysSoInOneLine() async throws {
        let directory = try TemporaryDirectory()
        let result = try await run(["show", "."], in: directory)
        #expect(result.status == 1)
        #expect(result.errors == "tapedeck: .: this is a folder, not a cassette file\n")
    }

    @Test func aCutShortCassetteWarnsOnceNotTwice() async throws {
        let directory = try TemporaryDirectory()
        let data = try Data(contentsOf: Self.shipped.appendingPathComponent("gemini-models.tape"))
        try data.prefix(data.count - 20).write(to: directory.file("cut.tape"))
        let result = try await run(["show", "cut.tape"], in: directory)
        #expect(result.status == 0)
        #expect(result.errors.hasPrefix("tapedeck: warning: cut.tape: byte 0: the file is cut short"), "\(result.errors)")
        #expect(!result.errors.contains("warning: warning:"))
    }

    @Test(arguments: ["show", "verify"])
    func aFIFONamedLikeACassetteIsRefusedWithoutWaitingForAWriter(_ command: String) async throws {
        let directory = try TemporaryDirectory()
        _ = try await sh("mkfifo '\(directory.file("pipe.tape").path)'")
        let result = try await run([command, "pipe.tape"], in: directory)
        #expect(result.status == 1)
        #expect(result.errors.contains("pipe.tape: not a regular file, so not a cassette"), "\(result.errors)")
    }

    #if os(Linux)
    // `ulimit -v` (RLIMIT_AS) bounds the address space on Linux; macOS accepts it and ignores
    // it, so there the test would pass without the limit it names.
    /// About half of all cuts of a real cassette used to abort under a 2 GiB address-space limit
    /// (an allocation sized by a trailer read from the middle of the file).
    @Test func everyCutOfARealCassetteLoadsOrFailsCleanlyUnderA2GiBAddressSpace() async throws {
        let directory = try TemporaryDirectory()
        let data = try Data(contentsOf: Self.shipped.appendingPathComponent("gateway-models.tape"))
        var offsets = Array(stride(from: 1, to: data.count, by: max(1, data.count / 40)))
        offsets.append(data.count - 1)
        for offset in offsets { try data.prefix(offset).write(to: directory.file("cut-\(offset).tape")) }
        let script = offsets.map { "ulimit -v 2097152; '\(ToolProcess.binary)' show cut-\($0).tape >/dev/null 2>&1; echo \"\($0) $?\"" }
            .joined(separator: "\n")
        let report = try await sh("cd '\(directory.url.path)' && \(script)")
        let crashed = report.split(separator: "\n").filter { line in (Int(line.split(separator: " ").last ?? "") ?? 255) >= 2 }
        #expect(crashed.isEmpty, "cuts that crashed: \(crashed)")
        #expect(report.split(separator: "\n").count == offsets.count)
    }

    /// A bomb whose trailer understates its size makes the inflate buffer grow in steps; growing
    /// by copying held the old and the new buffer at once (about 1.7x the limit for a 4 MB bomb
    /// and the default 1 GiB). Growing in place keeps a refusal at about the limit. The child's
    /// peak resident memory is read by a Python parent (`ru_maxrss`, kilobytes on Linux).
    @Test func refusingABombCostsAboutTheLimitNotTwiceIt() async throws {
        let directory = try TemporaryDirectory()
        let bomb = directory.file("bomb.tape").path
        // 300 MB of zeros (1.4 MB gzipped), the trailer patched to claim 57.5 MB: the buffer then
        // grows 57.5 -> 115 -> 230 MB -> the 256 MiB limit.
        _ = try await sh("head -c 300M /dev/zero | gzip -1 > '\(bomb)' && python3 -c \"import struct,sys; f=open(sys.argv[1],'r+b'); f.seek(-4,2); f.write(struct.pack('<I',57500000))\" '\(bomb)'")
        let measure = """
            import resource, subprocess, sys
            run = subprocess.run([sys.argv[1], 'show', sys.argv[2], '--max-cassette-bytes', '256M'], capture_output=True, text=True)
            print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, run.stderr.strip().replace('\\n', ' '))
            """
        try Data(measure.utf8).write(to: directory.file("measure.py"))
        let report = try await sh("python3 '\(directory.file("measure.py").path)' '\(ToolProcess.binary)' '\(bomb)'")
        let parts = report.split(separator: " ", maxSplits: 2)
        #expect(parts.first == "1", "refused with exit 1: \(report)")
        #expect(report.contains("refused: it inflates to more than 268435456 bytes"), "\(report)")
        let peakMiB = (Int(parts.dropFirst().first ?? "") ?? .max) / 1024
        // 256 MiB for the buffer plus the process itself; copying growth needed 230 MB more.
        #expect(peakMiB < 256 + 120, "peak \(peakMiB) MiB to refuse at a 256 MiB limit")
    }
    #endif
}
