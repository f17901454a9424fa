import Foundation
import Testing
import TapeDeck
import TapeDeckTools

@Suite struct HARTests {
    static var sample: Cassette {
        let events = ["data: {\"n\":1}\n\n", "data: [DONE]\n\n"]
        return Cassette(name: "sample", interactions: [
            Interaction(request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/models?page=2",
                                                 headers: HTTPHeaders([("Accept", "application/json"), ("X-Dup", "1"), ("X-Dup", "2")]), redacted: [.header("authorization")]),
                        response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"object":"list","data":[]}"#.utf8))),
            Interaction(request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", headers: ["Content-Type": "application/json"],
                                                 body: Data(#"{"stream":true}"#.utf8), redacted: [.header("authorization")]),
                        response: RecordedResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: Data(events.joined().utf8),
                                                   chunks: events.map { ResponseChunk(size: $0.utf8.count, milliseconds: 40) })),
            Interaction(request: RecordedRequest(method: "PUT", url: "https://files.example/blob", body: Data([0xff, 0x00])),
                        response: RecordedResponse(status: 201, body: Data([0x89, 0x50, 0x00]), redacted: [.header("set-cookie")])),
        ])
    }

    @Test func aCassetteSurvivesARoundTripThroughHAR() throws {
        let har = HAR.export(Self.sample)
        let back = try HAR.interactions(from: har)
        #expect(back == Self.sample.interactions)
    }

    @Test func theExportIsHAR12WithTheFieldsViewersNeed() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: HAR.export(Self.sample)) as? [String: Any])
        let log = try #require(document["log"] as? [String: Any])
        #expect(log["version"] as? String == "1.2")
        let entries = try #require(log["entries"] as? [[String: Any]])
        #expect(entries.count == 3)
        let request = try #require(entries[0]["request"] as? [String: Any])
        #expect((request["queryString"] as? [[String: String]]) == [["name": "page", "value": "2"]])
        let content = try #require((entries[2]["response"] as? [String: Any])?["content"] as? [String: Any])
        #expect(content["encoding"] as? String == "base64")
    }

    @Test func aFileThatIsNotHARSaysWhy() {
        #expect(throws: HAR.Problem.self) { try HAR.interactions(from: Data("[1,2]".utf8)) }
        let missing = #expect(throws: HAR.Problem.self) { try HAR.interactions(from: Data(#"{"log":{"version":"1.2"}}"#.utf8)) }
        #expect(missing?.description.contains("no log.entries array") == true)
        let aborted = #expect(throws: HAR.Problem.self) {
            try HAR.interactions(from: Data(#"{"log":{"entries":[{"request":{"method":"GET","url":"https://a"},"response":{"status":0}}]}}"#.utf8))
        }
        #expect(aborted?.description.contains("log.entries[0].response.status") == true)
    }

    @Test func chunkTimingThatDoesNotAddUpIsDroppedWithAWarningNamingTheEntry() throws {
        let entry = { (chunks: String) in
            #"{"request":{"method":"GET","url":"https://api.deepseek.com/models","headers":[]},"response":{"status":200,"headers":[],"content":{"text":"abcd"}},"_tapedeck":{"chunks":\#(chunks)}}"#
        }
        let har = #"{"log":{"version":"1.2","entries":["# + [entry(#"[{"size":2,"ms":0},{"size":2,"ms":5}]"#),
                                                            entry(#"[{"size":9223372036854775807,"ms":0},{"size":9223372036854775807,"ms":1}]"#),
                                                            entry(#"[{"size":"4","ms":0}]"#)].joined(separator: ",") + "]}}"
        let imported = try HAR.imported(from: Data(har.utf8))
        #expect(imported.interactions.map { $0.response.chunks?.count } == [2, nil, nil])
        #expect(imported.warnings.count == 2, "\(imported.warnings)")
        #expect(imported.warnings.first?.hasPrefix("log.entries[1]._tapedeck.chunks: 2 chunks that are not whole numbers or do not add up to the 4-byte body") == true)
        #expect(imported.warnings.last?.hasPrefix("log.entries[2]._tapedeck.chunks: 1 chunk that") == true)
    }
}
