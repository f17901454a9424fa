import Foundation
import TapeDeckTestSupport
import Testing

/// `tapedeck-cli status` against hostile names, dates and files.
@Suite struct StatusCommandTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cassettes")

    /// A git repository in `directory` with `files` (name -> seconds since 1970 of its commit).
    private func commit(_ files: [(String, Int)], in directory: TemporaryDirectory) async throws {
        _ = try await sh("cd '\(directory.url.path)' && git init -q")
        for (name, seconds) in files {
            try FileManager.default.copyItem(at: Self.shipped.appendingPathComponent("deepseek-models.tape"), to: directory.file(name))
            _ = try await sh("""
                cd '\(directory.url.path)' && git add -- '\(name)' && GIT_AUTHOR_DATE='\(seconds) +0000' GIT_COMMITTER_DATE='\(seconds) +0000' \
                git -c user.name=t -c user.email=t@example.invalid commit -qm '\(name)'
                """)
        }
    }

    @Test func aNameWithGlobCharactersIsAskedOfGitAsItselfNotAsAPattern() async throws {
        let directory = try TemporaryDirectory()
        let now = Int(Date().timeIntervalSince1970)
        // stale[12].tape as a pattern would match stale1.tape, committed today.
        try await commit([("stale[12].tape", now - 2_000 * 86_400), ("stale1.tape", now)], in: directory)
        let result = try await ToolProcess.run(["status", "stale[12].tape", "--max-age", "30"], in: directory.url)
        #expect(result.output.contains("2000 days old (last commit)"), "\(result.output)")
        #expect(result.status == 1)
    }

    @Test func aDateInTheFutureIsAnUnknownAgeThatMaxAgeFails() async throws {
        let directory = try TemporaryDirectory()
        try await commit([("future.tape", Int(Date().timeIntervalSince1970) + 365 * 86_400)], in: directory)
        let result = try await ToolProcess.run(["status", "future.tape", "--max-age", "30"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.output.contains("dated in the future"), "\(result.output)")
        #expect(!result.output.contains("days old"), "no negative age: \(result.output)")
        #expect(result.errors.contains("future.tape is dated in the future, so its age is unknown"), "\(result.errors)")
    }

    @Test func oneUnreadableCassetteIsOneLineAndTheOthersAreStillListed() async throws {
        let directory = try TemporaryDirectory()
        let folder = directory.file("cassettes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.shipped.appendingPathComponent("deepseek-models.tape"), to: folder.appendingPathComponent("good.tape"))
        try Data("not gzip".utf8).write(to: folder.appendingPathComponent("bad.tape"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dangling.tape").path, withDestinationPath: "nowhere.tape")
        _ = try await sh("mkfifo '\(folder.appendingPathComponent("pipe.tape").path)'")
        let text = try await ToolProcess.run(["status", "cassettes"], in: directory.url)
        #expect(text.status == 1)
        #expect(text.output.contains("cassettes/good.tape: 2 interactions"), "\(text.output)")
        #expect(text.errors.contains("cassettes/bad.tape"), "\(text.errors)")
        #expect(text.errors.contains("cassettes/dangling.tape: cannot be read: a link to"), "\(text.errors)")
        #expect(text.errors.contains("cassettes/pipe.tape: not a regular file"), "the FIFO is never opened: \(text.errors)")
        let json = try await ToolProcess.run(["status", "cassettes", "--json"], in: directory.url)
        #expect(json.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(json.output)")
        #expect((document["unreadable"] as? [String])?.sorted() == ["cassettes/bad.tape", "cassettes/dangling.tape", "cassettes/pipe.tape"])
        #expect((document["cassettes"] as? [[String: Any]])?.count == 4)
    }

    @Test func aLinkedCassetteIsDescribedByTheFileItPointsTo() async throws {
        let directory = try TemporaryDirectory()
        let original = Self.shipped.appendingPathComponent("gateway-models.tape")
        try FileManager.default.copyItem(at: original, to: directory.file("real.tape"))
        try FileManager.default.createSymbolicLink(atPath: directory.file("link.tape").path, withDestinationPath: "real.tape")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: original.path)[.size] as? Int)
        let result = try await ToolProcess.run(["status", "link.tape"], in: directory.url)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains(", \(size) bytes,"), "the target's size, not the link's: \(result.output)")
    }
}
