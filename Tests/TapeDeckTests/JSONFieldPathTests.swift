import Foundation
import Testing
@testable import TapeDeck

/// Paths to JSON fields, and matching that leaves them out.
@Suite struct JSONFieldPathTests {
    private func text(_ json: String, without paths: [String]) throws -> String {
        let value = try JSONParser.parse(Array(json.utf8))
        var writer = JSONWriter(capacity: 64)
        writer.value(JSONFieldPath.removing(paths.compactMap(JSONFieldPath.init), from: value), sortingKeys: true)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func aBareNameGoesAtAnyDepthAPathOnlyWhereItLeads() throws {
        let body = #"{"user":"u1","metadata":{"user":"u2","trace_id":"t"},"messages":[{"id":"m1","content":"hi"},{"id":"m2","content":"yo"}]}"#
        #expect(try text(body, without: ["user"]) == #"{"messages":[{"content":"hi","id":"m1"},{"content":"yo","id":"m2"}],"metadata":{"trace_id":"t"}}"#)
        #expect(try text(body, without: ["metadata.trace_id"]) == #"{"messages":[{"content":"hi","id":"m1"},{"content":"yo","id":"m2"}],"metadata":{"user":"u2"},"user":"u1"}"#)
        #expect(try text(body, without: ["messages[*].id"]) == #"{"messages":[{"content":"hi"},{"content":"yo"}],"metadata":{"trace_id":"t","user":"u2"},"user":"u1"}"#)
        #expect(try text(body, without: ["messages[1].content", "$.user"]) == #"{"messages":[{"content":"hi","id":"m1"},{"id":"m2"}],"metadata":{"trace_id":"t","user":"u2"}}"#)
    }

    @Test func theOnePassWriterLeavesOutWhatRemovingThenWritingLeavesOut() throws {
        let bodies = [
            #"{"user":"u1","metadata":{"user":"u2","trace_id":"t","ts":1.0},"messages":[{"id":"m1","content":"hi"},{"id":"m2","content":[1,{"user":3}]}]}"#,
            #"[{"a":{"b":[{"c":1,"d":2},{"c":3}]}},{"a":null},[{"user":1}]]"#,
            #"{"a":[[1,2],[3,{"b":4,"user":5}]],"b":{"a":{"b":1e2}}}"#,
            #""just a string""#, "12.50", "null",
        ]
        let pathSets = [["user"], ["metadata.trace_id", "metadata.ts"], ["messages[*].id"], ["messages[*]"], ["messages[1].content"],
                        ["a.b[*].c"], ["[0].a"], ["[*].a.b[0]"], ["a[1][1].b", "user"], ["b.a"], ["nowhere", "x.y[*].z"], ["$.user", "content"]]
        for body in bodies {
            let value = try JSONParser.parse(Array(body.utf8))
            for texts in pathSets {
                let paths = texts.compactMap(JSONFieldPath.init)
                var removed = JSONWriter(capacity: 64)
                removed.value(JSONFieldPath.removing(paths, from: value), sortingKeys: true)
                var skipped = JSONWriter(capacity: 64)
                skipped.canonicalValue(value, skipping: JSONWriter.Skipping(paths))
                #expect(String(decoding: skipped.bytes, as: UTF8.self) == String(decoding: removed.bytes, as: UTF8.self), "\(body) without \(texts)")
            }
        }
    }

    @Test(arguments: ["", "a..b", "a.", ".a", "a[", "a[x]", "a[-1]", "a[*"])
    func somethingThatIsNotAPathIsRefused(_ text: String) {
        #expect(JSONFieldPath(text) == nil)
    }

    private func chat(_ fields: String) -> RecordedRequest {
        RecordedRequest(method: "POST", url: "https://api.openai.com/v1/chat/completions", headers: ["Content-Type": "application/json"],
                        body: Data(#"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],\#(fields)}"#.utf8))
    }

    @Test func ignoredFieldsDoNotStopAMatchNorShowInTheMissReport() throws {
        let recorded = Interaction(request: chat(#""user":"run-1","metadata":{"ts":1}"#), response: RecordedResponse(status: 200, body: Data("{}".utf8)))
        let matching = MatchConfiguration.standard.ignoringBodyFields(["user", "metadata.ts"])
        let playback = Playback(cassette: Cassette(name: "c", interactions: [recorded]), configuration: matching)
        #expect(playback.matchingWarnings.isEmpty)
        #expect(try playback.play(chat(#""user":"run-2","metadata":{"ts":99}"#)).response.status == 200)
        let error = #expect(throws: TapeDeckError.self) { try playback.play(chat(#""user":"run-3","metadata":{"ts":5},"temperature":1"#)) }
        let report = error?.description ?? ""
        #expect(report.contains("temperature"), "the real difference is named: \(report)")
        #expect(!report.contains("run-3") && !report.contains("$.user"), "ignored fields stay out of the diff: \(report)")
        let strict = Playback(cassette: Cassette(name: "c", interactions: [recorded]))
        #expect(throws: TapeDeckError.self) { try strict.play(chat(#""user":"run-2","metadata":{"ts":99}"#)) }
    }

    @Test func aPathThatNamesNothingRecordedOrIsNoPathIsAWarning() {
        let recorded = Interaction(request: chat(#""user":"run-1""#), response: RecordedResponse(status: 200, body: Data("{}".utf8)))
        let playback = Playback(cassette: Cassette(name: "c", interactions: [recorded]),
                                configuration: .standard.ignoringBodyFields(["usr", "user", "a..b"]))
        #expect(playback.matchingWarnings == [
            "cassette 'c': the ignored body field 'a..b' is not a path (write a.b, a[*].b or a[0]); it ignores nothing",
            "cassette 'c': the ignored body field 'usr' names no field of any recorded JSON body; a typo?",
        ])
    }
}
