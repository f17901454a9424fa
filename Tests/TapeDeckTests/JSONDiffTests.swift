import Testing
@testable import TapeDeck

/// The one JSON difference walk, for the miss report and for drift.
@Suite struct JSONDiffTests {
    private func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func oneNumberWrittenThreeWaysIsNoDifference() throws {
        #expect(JSONDiff().differences(try json(#"{"t":1,"p":0.5}"#), try json(#"{"p":5e-1,"t":1.0}"#)).isEmpty)
        #expect(JSONDiff().differences(try json(#"{"t":1}"#), try json(#"{"t":true}"#)).map(\.path) == ["$.t"], "a number is not a boolean")
    }

    @Test func everyDifferenceIsNamedByPathInWalkOrder() throws {
        let before = try json(#"{"b":{"x":1,"gone":2},"a":[1,2,3],"c":"same"}"#)
        let after = try json(#"{"a":[1,9],"b":{"x":1,"new":3},"c":"same","d":null}"#)
        let found = JSONDiff().differences(before, after).map { "\($0.kind) \($0.path)" }
        #expect(found == ["changed $.a[1]", "removed $.a[2]", "removed $.b.gone", "added $.b.new", "added $.d"])
        #expect(JSONDiff().firstDifference(before, after)?.path == "$.a[1]")
        #expect(JSONDiff().firstDifference(before, before) == nil)
    }

    @Test func elementsPairByIDAndSkippedKeysAreLeftOut() throws {
        let before = try json(#"{"data":[{"id":"a","created":1},{"id":"b","owner":"x"}]}"#)
        let after = try json(#"{"data":[{"id":"b","owner":"y"},{"id":"a","created":2}]}"#)
        let diff = JSONDiff(skippingKeys: ["created"], pairingByIDOrName: true)
        #expect(diff.differences(before, after).map(\.path) == ["$.data[id=b].owner"])
        #expect(JSONDiff().differences(before, after).count > 1, "by index, the moved elements differ")
    }
}
