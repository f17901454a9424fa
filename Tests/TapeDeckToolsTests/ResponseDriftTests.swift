import Foundation
import Testing
import TapeDeck
@testable import TapeDeckTools

@Suite struct ResponseDriftTests {
    func response(_ body: String, status: Int = 200, type: String = "application/json") -> RecordedResponse {
        RecordedResponse(status: status, headers: ["Content-Type": type], body: Data(body.utf8))
    }

    @Test func aListThatLostAndGainedModelsNamesThemOnceAndIgnoresCreationTimes() {
        let before = response(#"{"object":"list","data":[{"id":"a","created":1},{"id":"b","created":2,"owned_by":"x"}]}"#)
        let after = response(#"{"object":"list","data":[{"id":"b","created":99,"owned_by":"y"},{"id":"c","created":3}]}"#)
        let drift = ResponseDrift.compare(recorded: before, live: after)
        #expect(drift.verdict == .drifted)
        #expect(drift.modelsAdded == ["c"])
        #expect(drift.modelsRemoved == ["a"])
        #expect(drift.pathsAdded.isEmpty && drift.pathsRemoved.isEmpty, "models are named once, not again as paths")
        #expect(drift.pathsChanged == ["$.data[id=b].owned_by"], "paired by id, whatever the order; created ignored")
    }

    @Test func geminiListsAreComparedByModelName() {
        let before = response(#"{"models":[{"name":"models/gemini-2.0-flash","version":"001"}]}"#)
        let after = response(#"{"models":[{"name":"models/gemini-3-pro","version":"001"}],"nextPageToken":"2"}"#)
        let drift = ResponseDrift.compare(recorded: before, live: after)
        #expect(drift.modelsAdded == ["gemini-3-pro"])
        #expect(drift.modelsRemoved == ["gemini-2.0-flash"])
        #expect(drift.pathsAdded == ["$.nextPageToken"])
    }

    @Test func theSameAnswerWithOtherVolatileValuesIsUnchanged() {
        let before = response(#"{"data":[{"id":"m","created_at":"2025-01-01T00:00:00Z"}],"request_id":"r1"}"#)
        let after = response(#"{"request_id":"r2","data":[{"created_at":"2026-11-23T00:00:00Z","id":"m"}]}"#)
        #expect(ResponseDrift.compare(recorded: before, live: after).verdict == .unchanged)
        #expect(ResponseDrift.compare(recorded: before, live: after, volatile: []).pathsChanged == ["$.data[id=m].created_at", "$.request_id"])
    }

    @Test func aNewStatusOrContentTypeIsDriftEvenWithoutJSON() {
        #expect(ResponseDrift.compare(recorded: response("ok", type: "text/plain"), live: response("ok", status: 404, type: "text/plain")).verdict == .drifted)
        #expect(ResponseDrift.compare(recorded: response("{}"), live: response("{}", type: "text/html")).verdict == .drifted)
        #expect(ResponseDrift.compare(recorded: response("{}", type: "application/json; charset=utf-8"), live: response("{}")).verdict == .unchanged)
    }

    @Test func answersThatAreNotJSONAreNothingComparable() {
        let drift = ResponseDrift.compare(recorded: response("hello", type: "text/plain"), live: response("hello again", type: "text/plain"))
        #expect(drift.verdict == .incomparable)
        #expect(drift.verdict.rawValue == "nothing comparable")
    }
}

extension ResponseDriftTests {
    @Test func driftComparesNumbersAsMatchingDoes() {
        let before = response(#"{"data":[{"id":"m","context_window":128000,"price":1.50}]}"#)
        let after = response(#"{"data":[{"id":"m","context_window":1.28e5,"price":1.5}]}"#)
        #expect(ResponseDrift.compare(recorded: before, live: after).verdict == .unchanged)
    }
}
