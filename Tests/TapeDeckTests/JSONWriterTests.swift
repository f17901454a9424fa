import Foundation
import Testing
@testable import TapeDeck

@Suite struct JSONWriterTests {
    @Test func prettyTextIndentsSortsKeysAndReadsBackAsTheSameValue() throws {
        let value = try JSONParser.parse(Array(#"{"b":[1,{"y":"a/b","x":null}],"a":{},"c":[],"d":"line\nbreak"}"#.utf8))
        let expected = """
            {
              "a" : {},
              "b" : [
                1,
                {
                  "x" : null,
                  "y" : "a/b"
                }
              ],
              "c" : [],
              "d" : "line\\nbreak"
            }
            """
        #expect(value.prettyText == expected)
        #expect(JSONDiff.same(try JSONParser.parse(Array(value.prettyText.utf8)), value))
    }

    @Test func prettyTextCanKeepTheOrderKeysWereWrittenIn() {
        var writer = JSONWriter()
        writer.pretty(["z": 1, "a": .text("é")], sortingKeys: false)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\n  \"z\" : 1,\n  \"a\" : \"é\"\n}")
    }

    @Test func theParserTakesDataAndSlicesAsWellAsArrays() throws {
        let data = Data(#"  [1, "two"] "#.utf8)
        #expect(try JSONParser.parse(data).array?.count == 2)
        #expect(try JSONParser.parse(data.dropFirst(2)).array?[1].string == "two")
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(data.dropLast(3)) }
    }

    @Test func everyControlCharacterQuoteAndBackslashIsEscapedMinimallyAndTheRestPassesThrough() throws {
        var writer = JSONWriter()
        writer.string(Array(#"a"b\c"#.utf8) + [0x0a, 0x0d, 0x09, 0x08, 0x0c, 0x00, 0x1f, 0x7f] + Array("é\"".utf8))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\n\r\t\b\f\u0000\u001f"# + "\u{7f}é" + #"\"""#)

        // Every byte value a UTF-8 text can hold alone, in runs and at both ends: the written size
        // is the one computed beforehand, and Foundation's parser reads back the same text.
        let text = (0..<0x80).map(UInt8.init) + Array("—\"\\end".utf8) + (0..<0x20).map(UInt8.init)
        var whole = JSONWriter()
        whole.string(text)
        #expect(whole.bytes.count == text.withUnsafeBufferPointer { JSONWriter.escapedSize($0) })
        let decoded = try JSONSerialization.jsonObject(with: Data(whole.bytes), options: .fragmentsAllowed) as? String
        #expect(decoded.map { Array($0.utf8) } == text)
        #expect(try JSONParser.parse(whole.bytes).string.map { Array($0.utf8) } == text)
    }

    @Test func setReplacesAMemberOrAppendsOne() {
        var object: JSONValue = ["a": 1]
        object.set("a", 2)
        object.set("b", "x")
        #expect(object.encoded == Array(#"{"a":2,"b":"x"}"#.utf8))
    }
}
