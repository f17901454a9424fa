import Foundation
import TapeDeckTestSupport
import Testing
@testable import TapeDeck

@Suite struct CassetteAppenderTests {
    @Test func appendedInteractionsLoadInOrderAndCompactToOneMember() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("models.tape")
        let appender = try CassetteAppender(creating: file)
        for interaction in Fixtures.sample.interactions { try appender.append(interaction) }
        try appender.close()

        let appended = try Cassette(contentsOf: file)
        #expect(appended.name == "models")
        #expect(appended.interactions == Fixtures.sample.interactions)
        let memberCount = try Data(contentsOf: file).withUnsafeBytes { try Gzip.decompress($0) }.memberEnds.count
        #expect(memberCount == 1 + Fixtures.sample.interactions.count)

        try Cassette.compact(at: file)
        let compacted = try Data(contentsOf: file)
        #expect(try compacted.withUnsafeBytes { try Gzip.decompress($0) }.memberEnds.count == 1)
        #expect(try Cassette(contentsOf: file).interactions == Fixtures.sample.interactions)
        // Compacting is what a one-shot write produces, byte for byte.
        var expected = Fixtures.sample
        expected.name = "models"
        #expect(compacted == expected.fileData())
    }

    @Test func anExistingCassetteIsNeverReplacedBySurprise() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("kept.tape")
        try Fixtures.sample.write(to: file)
        let before = try Data(contentsOf: file)
        let error = #expect(throws: TapeDeckError.self) { try CassetteAppender(creating: file) }
        #expect(error?.kind == .fileSystem)
        #expect(error?.description.contains("already exists") == true)
        #expect(try Data(contentsOf: file) == before)

        let replacing = try CassetteAppender(creating: file, name: "fresh", overwrite: true)
        try replacing.close()
        #expect(try Cassette(contentsOf: file).interactions.isEmpty)
    }

    @Test func appendingToAnExistingCassetteKeepsWhatIsThere() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("grow.tape")
        try Cassette(name: "grow", interactions: [Fixtures.listModels()]).write(to: file)
        let appender = try CassetteAppender(appendingTo: file)
        try appender.append(Fixtures.streamed)
        try appender.close()
        #expect(try Cassette(contentsOf: file).interactions == [Fixtures.listModels(), Fixtures.streamed])
    }

    @Test func appendingToACutShortCassetteRepairsItFirstAndKeepsEveryCompleteInteraction() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("crashed.tape")
        let whole = Fixtures.sample.fileData()
        try whole.prefix(whole.count - 3).write(to: file)  // cut inside the gzip trailer: all lines complete
        let appender = try CassetteAppender(appendingTo: file)
        #expect(appender.warnings.count == 1)
        try appender.append(Fixtures.streamed)
        try appender.close()
        let loaded = try Cassette(contentsOf: file)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.interactions == Fixtures.sample.interactions + [Fixtures.streamed])
    }

    @Test func concurrentAppendsAllLandWhole() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("parallel.tape")
        let appender = try CassetteAppender(creating: file)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { try? appender.append(Fixtures.listModels("https://api.deepseek.com/models?n=\(index)")) }
            }
        }
        try appender.close()
        let urls = Set(try Cassette(contentsOf: file).interactions.map(\.request.url))
        #expect(urls == Set((0..<200).map { "https://api.deepseek.com/models?n=\($0)" }))
    }

    @Test func aFolderThatDoesNotExistIsRefusedNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("missing/folder/x.tape")
        let error = #expect(throws: TapeDeckError.self) { try CassetteAppender(creating: file) }
        #expect(error?.kind == .fileSystem)
        #expect(error?.description.contains("missing/folder/x.tape") == true)
        #expect(error?.description.contains("No such file or directory") == true)
    }
}

extension CassetteAppenderTests {
    @Test func anInteractionThatCouldNotBeReadBackIsRefusedBeforeWriting() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("guarded.tape")
        let appender = try CassetteAppender(creating: file)
        var broken = Fixtures.streamed
        broken.response.body.append(contentsOf: [0x41])
        let error = #expect(throws: TapeDeckError.self) { try appender.append(broken) }
        #expect(error?.kind == .invalidField)
        try appender.close()
        #expect(try Cassette(contentsOf: file).interactions.isEmpty)
    }
}
