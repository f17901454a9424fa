import Foundation
import Testing
import TapeDeck
import TapeDeckTools

@Suite struct CassetteDiffTests {
    @Test func addedRemovedAndChangedInteractionsAreNamedWithWhatChanged() {
        let old = HARTests.sample
        var new = old
        new.interactions.remove(at: 2)
        new.interactions[0].response.status = 401
        new.interactions.append(Interaction(request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/v1/models"), response: RecordedResponse(status: 200)))
        let changes = CassetteDiff.changes(from: old, to: new)
        #expect(changes.map(\.description) == [
            "~ changed #1 -> #1 GET https://api.deepseek.com/models?page=2: status 200 -> 401",
            "- removed #3 PUT https://files.example/blob",
            "+ added #3 GET https://api.deepseek.com/v1/models",
        ])
        #expect(CassetteDiff.changes(from: old, to: old).isEmpty)
    }
}
