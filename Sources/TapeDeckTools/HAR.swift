package import Foundation
package import TapeDeck

/// HAR 1.2 both ways, so a capture from a browser's developer tools or a Polly.js recording can
/// become a cassette, and a cassette can be opened in any HAR viewer.
///
/// What HAR has no field for travels in `_tapedeck` members (HAR allows custom fields that start
/// with an underscore): the credential kinds removed and a streamed answer's chunks. Bodies that
/// are not UTF-8 are base64 (`content.encoding`, and `_encoding` on `postData`).
package enum HAR {
    /// A HAR document (`{"log": {...}}`) of the cassette's interactions, keys sorted.
    package static func export(_ cassette: Cassette) -> Data {
        let entries: [[String: Any]] = cassette.interactions.map { interaction in
            let request = interaction.request, response = interaction.response
            var harRequest: [String: Any] = [
                "method": request.method, "url": request.url, "httpVersion": "HTTP/1.1", "cookies": [],
                "headers": request.headers.map { ["name": $0.name, "value": $0.value] },
                "queryString": queryString(request.url), "headersSize": -1, "bodySize": request.body?.count ?? 0,
            ]
            if let body = request.body {
                var postData: [String: Any] = ["mimeType": request.headers["Content-Type"] ?? ""]
                if let text = String(data: body, encoding: .utf8) { postData["text"] = text } else {
                    postData["text"] = body.base64EncodedString()
                    postData["_encoding"] = "base64"
                }
                harRequest["postData"] = postData
            }
            var content: [String: Any] = ["size": response.body.count, "mimeType": response.headers["Content-Type"] ?? ""]
            if let text = String(data: response.body, encoding: .utf8) { content["text"] = text } else {
                content["text"] = response.body.base64EncodedString()
                content["encoding"] = "base64"
            }
            var extra: [String: Any] = ["requestRedacted": request.redacted.map(\.rawValue), "responseRedacted": response.redacted.map(\.rawValue)]
            if let chunks = response.chunks { extra["chunks"] = chunks.map { ["size": $0.size, "ms": $0.milliseconds] } }
            return [
                "startedDateTime": "1970-01-01T00:00:00.000Z", "time": 0, "cache": [:],
                "timings": ["send": 0, "wait": 0, "receive": 0],
                "request": harRequest,
                "response": [
                    "status": response.status, "statusText": "",
                    "httpVersion": "HTTP/1.1", "cookies": [], "redirectURL": response.headers["Location"] ?? "",
                    "headers": response.headers.map { ["name": $0.name, "value": $0.value] },
                    "content": content, "headersSize": -1, "bodySize": response.body.count,
                ],
                "_tapedeck": extra,
            ]
        }
        let document: [String: Any] = ["log": [
            "version": "1.2", "creator": ["name": "tapedeck", "version": TapeDeckVersion.current],
            "comment": "cassette \(cassette.name)", "entries": entries,
        ]]
        return try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// A problem with a HAR file: what is wrong and where (entry number, field).
    package struct Problem: Error, CustomStringConvertible {
        package var description: String
    }

    /// The interactions of a HAR document (not yet redacted: the caller redacts them).
    package static func interactions(from data: Data) throws(Problem) -> [Interaction] {
        try imported(from: data).interactions
    }

    /// The interactions of a HAR document, and a warning for each entry whose TapeDeck extras
    /// could not be kept (chunk timing that does not add up), naming the entry.
    package static func imported(from data: Data) throws(Problem) -> (interactions: [Interaction], warnings: [String]) {
        var warnings: [String] = []
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Problem(description: "not JSON, or not a JSON object: a HAR file is {\"log\": {...}}")
        }
        guard let log = root["log"] as? [String: Any], let entries = log["entries"] as? [[String: Any]] else {
            throw Problem(description: "not a HAR file: no log.entries array")
        }
        var interactions: [Interaction] = []
        for (index, entry) in entries.enumerated() {
            let place = "log.entries[\(index)]"
            guard let request = entry["request"] as? [String: Any], let response = entry["response"] as? [String: Any] else {
                throw Problem(description: "\(place) has no request or response object")
            }
            guard let method = request["method"] as? String, let url = request["url"] as? String else {
                throw Problem(description: "\(place).request needs a method and a url")
            }
            guard let status = response["status"] as? Int, (100...999).contains(status) else {
                throw Problem(description: "\(place).response.status must be an HTTP status (HAR files of aborted requests have 0: remove those entries)")
            }
            let extra = entry["_tapedeck"] as? [String: Any] ?? [:]
            var body: Data?
            if let post = request["postData"] as? [String: Any], let text = post["text"] as? String {
                body = post["_encoding"] as? String == "base64" ? Data(base64Encoded: text) : Data(text.utf8)
            }
            let content = response["content"] as? [String: Any] ?? [:]
            let text = content["text"] as? String ?? ""
            guard let responseBody = content["encoding"] as? String == "base64" ? Data(base64Encoded: text) : Data(text.utf8) else {
                throw Problem(description: "\(place).response.content.text is marked base64 but is not")
            }
            // Chunks that are not whole numbers or do not add up to the body are dropped (checked
            // arithmetic: a file may hold any number).
            var chunks = (extra["chunks"] as? [[String: Any]])?.compactMap { chunk -> ResponseChunk? in
                guard let size = chunk["size"] as? Int, let milliseconds = chunk["ms"] as? Int else { return nil }
                return ResponseChunk(size: size, milliseconds: milliseconds)
            }
            let listed = (extra["chunks"] as? [Any])?.count
            if let listed, chunks?.count != listed || !ResponseChunk.covers(chunks ?? [], bodySize: responseBody.count) {
                chunks = nil
                warnings.append("\(place)._tapedeck.chunks: \(listed) chunk\(listed == 1 ? "" : "s") that are not whole numbers or do not add up to the \(responseBody.count)-byte body; imported without chunk timing")
            } else if extra["chunks"] != nil, listed == nil {
                warnings.append("\(place)._tapedeck.chunks is not a list; imported without chunk timing")
            }
            interactions.append(Interaction(
                request: RecordedRequest(method: method, url: url, headers: headers(request["headers"]), body: body,
                                         redacted: kinds(extra["requestRedacted"])),
                response: RecordedResponse(status: status, headers: headers(response["headers"]), body: responseBody,
                                           chunks: chunks,
                                           redacted: kinds(extra["responseRedacted"]))))
        }
        return (interactions, warnings)
    }

    private static func headers(_ value: Any?) -> HTTPHeaders {
        let list = value as? [[String: Any]] ?? []
        // HTTP/2 captures carry pseudo-headers (":authority"): not headers of the request itself.
        return HTTPHeaders(list.compactMap { header in
            guard let name = header["name"] as? String, let value = header["value"] as? String, !name.hasPrefix(":") else { return nil }
            return (name, value)
        })
    }

    private static func kinds(_ value: Any?) -> [CredentialKind] {
        (value as? [String] ?? []).compactMap(CredentialKind.init(rawValue:))
    }

    private static func queryString(_ url: String) -> [[String: String]] {
        guard let components = URLComponents(string: url) else { return [] }
        return (components.queryItems ?? []).map { ["name": $0.name, "value": $0.value ?? ""] }
    }
}
