import Foundation
import TapeDeckTestSupport
import Testing
@testable import TapeDeck

@Suite struct CassetteFormatTests {
    @Test func writtenCassetteLoadsWithTheSameInteractions() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("sample.tape")
        try Fixtures.sample.write(to: file)
        let loaded = try Cassette(contentsOf: file)
        #expect(loaded.name == "sample")
        #expect(loaded.writer == TapeDeckVersion.writer)
        #expect(loaded.interactions == Fixtures.sample.interactions)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func rewritingTheSameInteractionsGivesAByteIdenticalFile() throws {
        let directory = try TemporaryDirectory()
        let first = directory.file("first.tape"), second = directory.file("second.tape")
        try Fixtures.sample.write(to: first)
        try Cassette(contentsOf: first).write(to: second)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    }

    @Test func gzipCommandReadsTheHeaderAndOneInteractionPerLine() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("sample.tape")
        try Fixtures.sample.write(to: file)
        let text = String(decoding: try shell("gzip -dc '\(file.path)'"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + Fixtures.sample.interactions.count)
        #expect(lines[0] == #"{"format":"tapedeck-cassette","version":1,"name":"sample","writer":"\#(TapeDeckVersion.writer)"}"#)
        // Any JSON tool reads a line: Foundation's parser stands in for one here.
        let header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 1)
        let first = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        let request = first?["request"] as? [String: Any]
        #expect(request?["url"] as? String == "https://api.deepseek.com/models")
        #expect(request?["redacted"] as? [String] == ["header:authorization"])
    }

    @Test func bodiesAreTextWhenUTF8AndMarkedBase64Otherwise() throws {
        let line = String(decoding: Fixtures.binary.encodedLine(), as: UTF8.self)
        #expect(line.contains(#""body":{"base64":"/wD+"}"#))
        let streamed = String(decoding: Fixtures.streamed.encodedLine(), as: UTF8.self)
        #expect(streamed.contains(#""body":"data: {\"n\":1}\n\ndata:"#))
        #expect(streamed.contains(#""chunks":[{"size":15,"ms":0},{"size":15,"ms":25},{"size":14,"ms":50}]"#))
    }

    @Test func handWrittenJSONLinesCompressedByGzipLoad() throws {
        let directory = try TemporaryDirectory()
        let source = directory.file("hand.jsonl")
        // Keys in another order, white space, an unknown key, no request body, a trailing blank line.
        let text = #"""
            {"version": 1, "format": "tapedeck-cassette", "name": "hand", "extra": true}
            {"response": {"status": 401, "body": "{\"error\": {\"message\": \"bad key\"}}"}, "request": {"url": "https://api.deepseek.com/models", "method": "GET"}}

            """#
        try Data(text.utf8).write(to: source)
        try shell("gzip -n -c '\(source.path)' > '\(directory.file("hand.tape").path)'")
        let cassette = try Cassette(contentsOf: directory.file("hand.tape"))
        #expect(cassette.name == "hand")
        #expect(cassette.interactions.count == 1)
        #expect(cassette.interactions[0].response.status == 401)
        #expect(String(decoding: cassette.interactions[0].response.body, as: UTF8.self) == #"{"error": {"message": "bad key"}}"#)
        #expect(cassette.interactions[0].request.body == nil)
    }

    // MARK: - Errors

    private func load(lines: [String], in directory: TemporaryDirectory) throws -> Cassette {
        let file = directory.file("broken.tape")
        try Data(Gzip.compress(Array((lines.joined(separator: "\n") + "\n").utf8))).write(to: file)
        return try Cassette(contentsOf: file)
    }

    private static let header = #"{"format":"tapedeck-cassette","version":1,"name":"broken","writer":"test"}"#

    @Test func aFileThatIsNotGzipIsNamedAsSuch() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("plain.tape")
        try Data(Self.header.utf8).write(to: file)
        let error = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: file) }
        #expect(error?.kind == .notGzip)
        #expect(error?.description.hasPrefix(file.path) == true)
        #expect(error?.description.contains("not a gzip file") == true)
    }

    @Test func aMissingFileIsAFileSystemErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: directory.file("absent.tape")) }
        #expect(error?.kind == .fileSystem)
        #expect(error?.description.contains("absent.tape") == true)
        #expect(error?.description.contains("no such file") == true)
    }

    @Test func invalidJSONNamesTheLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let good = String(decoding: Fixtures.listModels().encodedLine(), as: UTF8.self)
        let error = #expect(throws: TapeDeckError.self) { try load(lines: [Self.header, good, #"{"request": {"method": "GET",}"#], in: directory) }
        #expect(error?.kind == .invalidJSON)
        #expect(error?.line == 3)
        #expect(error?.description.contains("broken.tape:line 3: invalid JSON at column 30") == true)
    }

    @Test func aMissingFieldIsNamedWithItsPath() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) {
            try load(lines: [Self.header, #"{"request":{"method":"GET"},"response":{"status":200,"body":""}}"#], in: directory)
        }
        #expect(error?.kind == .missingField)
        #expect(error?.line == 2)
        #expect(error?.reason.contains("request.url") == true)
    }

    @Test func aWrongTypeIsAnInvalidField() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) {
            try load(lines: [Self.header, #"{"request":{"method":"GET","url":"u"},"response":{"status":"200","body":""}}"#], in: directory)
        }
        #expect(error?.kind == .invalidField)
        #expect(error?.reason.contains("response.status") == true)
    }

    @Test func aNewerFormatVersionIsRefusedWithBothVersions() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) {
            try load(lines: [#"{"format":"tapedeck-cassette","version":2,"name":"future"}"#], in: directory)
        }
        #expect(error?.kind == .unsupportedVersion)
        #expect(error?.line == 1)
        #expect(error?.reason.contains("format version 2 is not supported") == true)
    }

    @Test func aFirstLineThatIsNotAHeaderIsRefused() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) {
            try load(lines: [String(decoding: Fixtures.listModels().encodedLine(), as: UTF8.self)], in: directory)
        }
        #expect(error?.kind == .missingHeader)
    }

    @Test func chunkSizesThatDoNotAddUpAreRefused() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: TapeDeckError.self) {
            try load(lines: [Self.header, #"{"request":{"method":"GET","url":"u"},"response":{"status":200,"body":"abc","chunks":[{"size":2,"ms":0}]}}"#], in: directory)
        }
        #expect(error?.kind == .invalidField)
        #expect(error?.reason.contains("add up to 2 bytes but the body has 3") == true)
    }

    // MARK: - Crash safety

    // These two run gzip once per byte offset: off the cooperative pool (`sh`), so the rest of
    // the suite is not starved while they run.
    @Test func aCompactedFileCutAtEveryByteLoadsEveryCompleteInteraction() async throws {
        let directory = try TemporaryDirectory()
        let cassette = Fixtures.sample
        let whole = cassette.fileData()
        let lines = cassette.encodedLines()
        let file = directory.file("cut.tape")
        for cut in 0..<whole.count {
            try whole.prefix(cut).write(to: file)
            let loaded = try Cassette(contentsOf: file)
            // Reference: the lines gzip itself inflates from the same prefix.
            let inflated = try await sh("gzip -dc < '\(file.path)' 2>/dev/null || true")
            let completeLines = inflated.filter { $0 == "\n" }.count
            #expect(loaded.interactions.count == max(0, completeLines - 1), "cut at \(cut)")
            #expect(Array(loaded.interactions) == Array(cassette.interactions.prefix(loaded.interactions.count)), "cut at \(cut)")
            #expect(loaded.warnings.count == 1, "cut at \(cut)")
            #expect(loaded.warnings.first?.file == file.path)
            #expect(loaded.warnings.first?.description.contains("cut short at byte \(cut)") == true)
        }
        #expect(lines.count > 0)
    }

    @Test func anAppendedFileCutAtEveryByteKeepsEveryFinishedAppend() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("appended.tape")
        let appender = try CassetteAppender(creating: file, name: "appended")
        var boundaries: [Int: Int] = [try Data(contentsOf: file).count: 0]
        for (index, interaction) in Fixtures.sample.interactions.enumerated() {
            try appender.append(interaction)
            boundaries[try Data(contentsOf: file).count] = index + 1
        }
        try appender.close()
        let whole = try Data(contentsOf: file)
        let cutFile = directory.file("cut.tape")
        var finished = 0
        for cut in 0...whole.count {
            if let count = boundaries[cut] { finished = count }
            try whole.prefix(cut).write(to: cutFile)
            let loaded = try Cassette(contentsOf: cutFile)
            let inflated = try await sh("gzip -dc < '\(cutFile.path)' 2>/dev/null || true")
            #expect(loaded.interactions.count == max(0, inflated.filter { $0 == "\n" }.count - 1), "cut at \(cut)")
            #expect(loaded.interactions.count >= finished, "cut at \(cut): a finished append was lost")
            #expect(loaded.warnings.isEmpty == (boundaries[cut] != nil), "cut at \(cut)")
            if let warning = loaded.warnings.first {
                #expect(warning.offset == (Array(boundaries.keys) + [0]).filter { $0 <= cut }.max(), "cut at \(cut): the damaged member starts after the last whole one")
            }
        }
    }
}
