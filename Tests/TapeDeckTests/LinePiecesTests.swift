import Foundation
import Testing
@testable import TapeDeck

@Suite struct LinePiecesTests {
    /// `count` interaction lines of about 5 KB each, every line different.
    private func lines(_ count: Int, blankEvery: Int = 0) -> [String] {
        (0..<count).map { index in
            if blankEvery > 0, index % blankEvery == blankEvery - 1 { return "  " }
            let body = String(repeating: "model-\(index) ", count: 400)
            return String(decoding: Interaction(request: RecordedRequest(method: "GET", url: "https://h.example/m?page=\(index)"),
                                                response: RecordedResponse(status: 200, body: Data(body.utf8))).encodedLine(), as: UTF8.self)
        }
    }

    private func text(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    @Test(arguments: [1, 2, 3, 7, 16])
    func piecesCoverEveryLineOnceAndEndAtNewlines(count: Int) {
        let bytes = text(lines(900, blankEvery: 50))
        bytes.withUnsafeBufferPointer { buffer in
            let bounds = LinePieces.split(buffer, into: count)
            #expect(bounds.count == count)
            #expect(bounds.first?.lowerBound == 0 && bounds.last?.upperBound == buffer.count)
            for (earlier, later) in zip(bounds, bounds.dropFirst()) { #expect(earlier.upperBound == later.lowerBound) }
            for range in bounds { #expect(!range.isEmpty && buffer[range.upperBound - 1] == 0x0a) }
        }
    }

    @Test func aTextOfFewLinesIsNeverCutIntoMorePiecesThanLines() {
        let bytes = text(lines(2))
        bytes.withUnsafeBufferPointer { buffer in
            let bounds = LinePieces.split(buffer, into: 8)
            #expect(bounds.count <= 2)
            #expect(bounds.map(\.count).reduce(0, +) == buffer.count)
        }
    }

    @Test func parsingOnManyCoresGivesTheInteractionsOfOneCoreInFileOrder() {
        let bytes = text(lines(1_200, blankEvery: 97))  // about 6 MB: several pieces
        bytes.withUnsafeBufferPointer { buffer in
            let many = LinePieces.parse(buffer, cores: 4)
            let one = LinePieces.parse(buffer, cores: 1)
            #expect(many.count == 4)
            #expect(one.count == 1)
            #expect(many.flatMap(\.interactions) == one.flatMap(\.interactions))
            #expect(many.map(\.lines).reduce(0, +) == 1_200)
            #expect(one[0].interactions.map(\.request.url).prefix(2) == ["https://h.example/m?page=0", "https://h.example/m?page=1"])
        }
    }

    @Test func theFirstBadLineInTheFileIsReportedWithItsLineNumberWhicheverPieceHoldsIt() throws {
        var all = lines(1_200)
        all[1_000] = #"{"request": {"method": "GET",}"#   // line 1,002 of the file (after the header)
        all[1_100] = "not json either"
        let header = #"{"format":"tapedeck-cassette","version":1,"name":"big","writer":"test"}"#
        let data = Data(Gzip.compress(text([header] + all)))
        let error = #expect(throws: TapeDeckError.self) { try Cassette(gzipData: data, path: "big.tape") }
        #expect(error?.kind == .invalidJSON)
        #expect(error?.line == 1_002)
        #expect(error?.description.contains("big.tape:line 1002: invalid JSON at column 30") == true)
    }

    @Test func aLargeCassetteLoadsWhole() throws {
        let interactions = (0..<1_500).map { index in
            Interaction(request: RecordedRequest(method: "GET", url: "https://h.example/m?page=\(index)"),
                        response: RecordedResponse(status: 200, body: Data(String(repeating: "\"id\":\(index),", count: 300).utf8)))
        }
        let cassette = Cassette(name: "big", interactions: interactions)
        let loaded = try Cassette(gzipData: Data(Gzip.compress(cassette.encodedLines())), path: "big.tape")
        #expect(loaded.interactions == interactions)
        #expect(loaded.name == "big")
    }
}
