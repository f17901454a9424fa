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

    @Test func setReplacesAMemberOrAppendsOne() {
        var object: JSONValue = ["a": 1]
        object.set("a", 2)
        object.set("b", "x")
        #expect(object.encoded == Array(#"{"a":2,"b":"x"}"#.utf8))
    }
}
