import Foundation
import TapeDeckTestSupport
import Testing
@testable import TapeDeck

@Suite struct GzipTests {
    @Test func compressedOutputIsDeterministicAndHasNoTimestampOrName() {
        let text = Array(String(repeating: "tapedeck ", count: 200).utf8)
        let first = Gzip.compress(text)
        #expect(first == Gzip.compress(text))
        #expect(Array(first[0..<4]) == [0x1f, 0x8b, 0x08, 0x00])  // magic, deflate, no FNAME flag
        #expect(Array(first[4..<8]) == [0, 0, 0, 0])  // mtime 0
    }

    @Test func concatenatedMembersInflateAsOneStream() throws {
        let members = Gzip.compress(Array("one\n".utf8)) + Gzip.compress(Array("two\n".utf8)) + Gzip.compress(Array("three\n".utf8))
        let inflated = try members.withUnsafeBytes { try Gzip.decompress($0) }
        #expect(String(decoding: inflated.data, as: UTF8.self) == "one\ntwo\nthree\n")
        #expect(inflated.memberEnds.count == 3)
        #expect(inflated.truncation == nil)
    }

    @Test func systemGzipReadsWhatWeWrite() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("x.gz")
        try Data(Gzip.compress(Array("alpha\n".utf8)) + Gzip.compress(Array("beta\n".utf8))).write(to: file)
        #expect(String(decoding: try shell("gzip -dc '\(file.path)'"), as: UTF8.self) == "alpha\nbeta\n")
    }

    @Test func damagedDataIsAnErrorWithTheMembersOffset() throws {
        let first = Gzip.compress(Array("first line\n".utf8))
        var second = Gzip.compress(Array(String(repeating: "second line ", count: 50).utf8))
        second[second.count - 6] ^= 0xff  // inside the CRC32 trailer
        let bytes = first + second
        #expect {
            _ = try bytes.withUnsafeBytes { try Gzip.decompress($0) }
        } throws: { error in
            let error = error as? TapeDeckError
            return error?.kind == .corruptGzip && error?.offset == first.count
        }
    }

    @Test func bytesThatAreNotGzipAreRejectedAsSuch() {
        #expect {
            _ = try Array("{\"format\":1}".utf8).withUnsafeBytes { try Gzip.decompress($0) }
        } throws: { ($0 as? TapeDeckError)?.kind == .notGzip }
    }
}
