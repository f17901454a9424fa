import Foundation
import TapeDeckTestSupport
import Testing
@testable import TapeDeck

/// Rewrites (compact, redact, write) never write through a planted path, keep links and modes,
/// and clean up after a killed rewrite; reads refuse what is not a cassette file.
@Suite struct FileIOTests {
    private func makeCassette(_ file: URL) throws {
        let appender = try CassetteAppender(creating: file)
        try appender.append(Fixtures.listModels())
        try appender.append(Fixtures.streamed)
        try appender.close()
    }

    @Test func aLinkPlantedAtTheOldTemporaryNameIsNeverWrittenThrough() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("c.tape"), outside = directory.file("outside.txt")
        try makeCassette(file)
        try Data("keep me".utf8).write(to: outside)
        // The name the old code used, and a spread of names an attacker might guess.
        for name in ["c.tape.tmp-\(getpid())", "c.tape.tmp-\(getpid())-0", "c.tape.tmp"] {
            try FileManager.default.createSymbolicLink(atPath: directory.file(name).path, withDestinationPath: outside.path)
        }
        try Cassette.compact(at: file)
        #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me")
        #expect(try Cassette(contentsOf: file).interactions.count == 2)
    }

    @Test func aSymlinkedCassetteIsRewrittenAtItsTargetAndStaysALink() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.file("real"), withIntermediateDirectories: true)
        let target = directory.file("real/c.tape"), link = directory.file("c.tape")
        try makeCassette(target)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real/c.tape")
        try Cassette.compact(at: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real/c.tape")
        let members = try Data(contentsOf: target).withUnsafeBytes { try Gzip.decompress($0) }.memberEnds.count
        #expect(members == 1, "the target was compacted")
    }

    @Test func theFileModeIsKept() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("private.tape")
        try makeCassette(file)
        #expect(chmod(file.path, 0o600) == 0)
        try Cassette.compact(at: file)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aTemporaryFileOfAKilledRewriteIsRemovedAndALiveOnesIsLeft() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("c.tape")
        try makeCassette(file)
        // A process id that is not running: one past the highest the kernel hands out.
        #if os(Linux)
        let maximum = Int32((try? String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 4_194_304
        #else
        let maximum: Int32 = 99_999  // Darwin's process ids stay below 100,000 (PID_MAX in XNU); no /proc there
        #endif
        let stale = directory.file("c.tape.tmp-\(maximum + 1)-abc"), live = directory.file("c.tape.tmp-1-abc")
        try Data("half".utf8).write(to: stale)
        try Data("busy".utf8).write(to: live)
        try Cassette.compact(at: file)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path), "process 1 is running: its file is not ours to remove")
    }

    @Test func aFolderGivenAsACassetteSaysSoInOneLine() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: directory.url) }
        #expect(error?.description == "\(directory.url.path): this is a folder, not a cassette file")
    }

    @Test func aFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("big.tape")
        try Data(count: 4096).write(to: file)
        let error = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: file, limits: CassetteLimits(maximumRawBytes: 1024)) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.description.contains("the file is 4096 bytes, more than the limit of 1024") == true)
    }
}
