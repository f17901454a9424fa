import Foundation
package import TapeDeck

/// How a live answer differs from the recorded one, compared as JSON.
///
/// For a list-models answer (OpenAI and DeepSeek `data[].id`, Anthropic `data[].id`, Gemini
/// `models[].name`) the models added and removed are named. For any JSON, the paths added,
/// removed and changed are listed, leaving out volatile fields (creation times, request ids,
/// dates): array elements that are objects with an `id` or `name` are paired by it, so a model
/// that moved in the list is not a change. A different status or content type is drift too.
package struct ResponseDrift: Sendable, Equatable {
    /// What the comparison found.
    package enum Verdict: String, Sendable {
        case unchanged
        case drifted
        /// Neither answer is JSON, and status and content type are the same.
        case incomparable = "nothing comparable"
        /// The live answer was a rate limit, a server error, a redirect or an informational
        /// status where the recording was not: it says nothing about drift and is never written.
        case unavailable = "not compared"
    }

    package var verdict: Verdict
    package var recordedStatus: Int
    package var liveStatus: Int
    package var recordedContentType: String?
    package var liveContentType: String?
    package var modelsAdded: [String] = []
    package var modelsRemoved: [String] = []
    package var pathsAdded: [String] = []
    package var pathsRemoved: [String] = []
    package var pathsChanged: [String] = []
    /// Why the answers could not be compared as JSON, when the recording was JSON.
    package var note: String?

    /// Fields left out by default: they change on every call or every release.
    package static let defaultVolatileFields: Set<String> = [
        "created", "created_at", "createdAt", "updated", "updated_at", "updatedAt", "date", "timestamp",
        "request_id", "requestId", "x-request-id", "id_request", "system_fingerprint", "expires_at",
    ]

    /// Compares `recorded` with `live`, ignoring the fields named in `volatile` wherever they are.
    package static func compare(recorded: RecordedResponse, live: RecordedResponse, volatile: Set<String> = defaultVolatileFields) -> ResponseDrift {
        var drift = ResponseDrift(verdict: .unchanged, recordedStatus: recorded.status, liveStatus: live.status,
                                  recordedContentType: mediaType(recorded), liveContentType: mediaType(live))
        if live.status != recorded.status, isUnavailable(live.status) {
            drift.verdict = .unavailable
            drift.note = "the live answer was \(live.status) (a rate limit, server error or redirect says nothing about drift); try again later"
            return drift
        }
        let recordedJSON = json(recorded.body), liveJSON = json(live.body)
        if recordedJSON != nil, liveJSON == nil {
            drift.note = live.body.isEmpty ? "the live answer is empty where JSON was recorded" : "the live answer is not JSON (or nests too deeply to read) where JSON was recorded"
        }
        if let before = recordedJSON, let after = liveJSON {
            if let oldIDs = modelIDs(before), let newIDs = modelIDs(after) {
                let oldSet = Set(oldIDs), newSet = Set(newIDs)  // linear: a list of 40,000 models compares at once
                drift.modelsAdded = newIDs.filter { !oldSet.contains($0) }
                drift.modelsRemoved = oldIDs.filter { !newSet.contains($0) }
            }
            let differences = JSONDiff(skippingKeys: volatile, pairingByIDOrName: true).differences(before, after)
            let paths = { (kind: JSONDiff.Difference.Kind) in differences.filter { $0.kind == kind }.map(\.path) }
            // A model added or removed is said once, by name, not again as a path.
            let modelPaths = Set((drift.modelsAdded + drift.modelsRemoved).flatMap { ["$.data[id=\($0)]", "$.models[name=models/\($0)]", "$.models[name=\($0)]"] })
            drift.pathsAdded = paths(.added).filter { !modelPaths.contains($0) }
            drift.pathsRemoved = paths(.removed).filter { !modelPaths.contains($0) }
            drift.pathsChanged = paths(.changed)
        }
        let statusOrType = drift.recordedStatus != drift.liveStatus || drift.recordedContentType != drift.liveContentType
        if statusOrType || drift.note != nil || !drift.modelsAdded.isEmpty || !drift.modelsRemoved.isEmpty || !drift.pathsAdded.isEmpty
            || !drift.pathsRemoved.isEmpty || !drift.pathsChanged.isEmpty {
            drift.verdict = .drifted
        } else if recordedJSON == nil || liveJSON == nil {
            drift.verdict = .incomparable
        }
        return drift
    }

    /// 1xx, 3xx, 429 and 5xx: answers about the moment, not about the API.
    static func isUnavailable(_ status: Int) -> Bool {
        (100...199).contains(status) || (300...399).contains(status) || status == 429 || (500...599).contains(status)
    }

    /// `application/json` from `application/json; charset=utf-8`.
    private static func mediaType(_ response: RecordedResponse) -> String? {
        response.headers["Content-Type"].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).asciiLowercased }
    }

    private static func json(_ body: Data) -> JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONParser.parse(body)
    }

    /// The model ids of a list-models answer, in order; `nil` for any other JSON.
    static func modelIDs(_ value: JSONValue) -> [String]? {
        if case .array(let data)? = value["data"] {
            let ids = data.compactMap { $0["id"]?.string }
            return ids.count == data.count ? ids : nil
        }
        if case .array(let models)? = value["models"] {
            let names = models.compactMap { $0["name"]?.string }
            return names.count == models.count ? names.map { $0.hasPrefix("models/") ? String($0.dropFirst(7)) : $0 } : nil
        }
        return nil
    }
}
