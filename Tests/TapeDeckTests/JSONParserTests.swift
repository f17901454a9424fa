import Testing
@testable import TapeDeck

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesNestedValuesKeepingKeyOrder() throws {
        let value = try parse(#" {"b":[1,-2.5e3,true,null],"a":{"x":"y"}} "#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(value["a"]?["x"]?.string == "y")
    }

    @Test func unescapesStringsIncludingSurrogatePairs() throws {
        let value = try parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#)
        #expect(value.string == "a\"b\\c/d\né😀")
    }

    @Test func keysWithAndWithoutEscapesAreReadAlike() throws {
        let value = try parse(#"{"plain":1,"quo\"te":2,"\u00e9t\u00e9":3,"été":4}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["plain", "quo\"te", "été", "été"])
        #expect(value["quo\"te"]?.int == 2)
        // A key that is not UTF-8 is refused whether or not it has escapes.
        for bytes: [UInt8] in [[0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d], [0x7b, 0x22, 0x5c, 0x6e, 0xff, 0x22, 0x3a, 0x31, 0x7d]] {
            let failure = #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
            #expect(failure?.reason == "object key is not valid UTF-8")
        }
        #expect(throws: JSONParser.Failure.self) { try parse(#"{"unterminated:1}"#) }
        #expect(throws: JSONParser.Failure.self) { try parse("{\"tab\there\":1}") }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "\"unterminated", "01", "1.", "tru", "\"\\x\"", "\"\\ud800\"", "{} x", "\"tab\there\"", "-",
    ])
    func rejectsInvalidJSONWithAColumn(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func writerEscapesWhatTheParserReads() throws {
        let original = "quote\" backslash\\ newline\n control\u{01} é 😀"
        var writer = JSONWriter()
        writer.string(original)
        #expect(try JSONParser.parse(writer.bytes).string == original)
    }

    @Test func canonicalFormSortsKeysAndNormalisesNumbers() throws {
        var a = JSONWriter(), b = JSONWriter()
        a.value(try parse(#"{"b":1.0,"a":[{"y":2,"x":1}]}"#), sortingKeys: true)
        b.value(try parse(#"{ "a" : [ {"x":1,"y":2e0} ], "b" : 1 }"#), sortingKeys: true)
        #expect(a.bytes == b.bytes)
    }
}
