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
        let entries: [JSONValue] = cassette.interactions.map { interaction in
            let request = interaction.request, response = interaction.response
            var harRequest: JSONValue = [
                "method": .text(request.method), "url": .text(request.url), "httpVersion": "HTTP/1.1", "cookies": [],
                "headers": fields(request.headers), "queryString": queryString(request.url),
                "headersSize": -1, "bodySize": .integer(request.body?.count ?? 0),
            ]
            if let body = request.body {
                var postData: JSONValue = ["mimeType": .text(request.headers["Content-Type"] ?? "")]
                setText(of: body, in: &postData, encodingKey: "_encoding")
                harRequest.set("postData", postData)
            }
            var content: JSONValue = ["size": .integer(response.body.count), "mimeType": .text(response.headers["Content-Type"] ?? "")]
            setText(of: response.body, in: &content, encodingKey: "encoding")
            var extra: JSONValue = ["requestRedacted": .texts(request.redacted.map(\.rawValue)),
                                    "responseRedacted": .texts(response.redacted.map(\.rawValue))]
            if let chunks = response.chunks {
                extra.set("chunks", .array(chunks.map { ["size": .integer($0.size), "ms": .integer($0.milliseconds)] }))
            }
            return [
                "startedDateTime": "1970-01-01T00:00:00.000Z", "time": 0, "cache": [:],
                "timings": ["send": 0, "wait": 0, "receive": 0],
                "request": harRequest,
                "response": [
                    "status": .integer(response.status), "statusText": "",
                    "httpVersion": "HTTP/1.1", "cookies": [], "redirectURL": .text(response.headers["Location"] ?? ""),
                    "headers": fields(response.headers),
                    "content": content, "headersSize": -1, "bodySize": .integer(response.body.count),
                ],
                "_tapedeck": extra,
            ]
        }
        let document: JSONValue = ["log": [
            "version": "1.2", "creator": ["name": "tapedeck", "version": .text(TapeDeckVersion.current)],
            "comment": .text("cassette \(cassette.name)"), "entries": .array(entries),
        ]]
        return Data(document.prettyText.utf8)
    }

    /// Sets `text`, and `encodingKey: "base64"` beside it when the body is not UTF-8.
    private static func setText(of body: Data, in object: inout JSONValue, encodingKey: String) {
        if let text = String(data: body, encoding: .utf8) { return object.set("text", .text(text)) }
        object.set("text", .text(body.base64EncodedString()))
        object.set(encodingKey, "base64")
    }

    private static func fields(_ headers: HTTPHeaders) -> JSONValue {
        .array(headers.map { ["name": .text($0.name), "value": .text($0.value)] })
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
        guard let root = try? JSONParser.parse(data), case .object = root else {
            throw Problem(description: "not JSON, or not a JSON object: a HAR file is {\"log\": {...}}")
        }
        guard let entries = root["log"]?["entries"]?.array else {
            throw Problem(description: "not a HAR file: no log.entries array")
        }
        var interactions: [Interaction] = []
        for (index, entry) in entries.enumerated() {
            let place = "log.entries[\(index)]"
            guard let request = entry["request"], case .object = request, let response = entry["response"], case .object = response else {
                throw Problem(description: "\(place) has no request or response object")
            }
            guard let method = request["method"]?.string, let url = request["url"]?.string else {
                throw Problem(description: "\(place).request needs a method and a url")
            }
            guard let status = response["status"]?.int, (100...999).contains(status) else {
                throw Problem(description: "\(place).response.status must be an HTTP status (HAR files of aborted requests have 0: remove those entries)")
            }
            let extra = entry["_tapedeck"]
            var body: Data?
            if let post = request["postData"], let text = post["text"]?.string {
                body = post["_encoding"]?.string == "base64" ? Data(base64Encoded: text) : Data(text.utf8)
            }
            let content = response["content"]
            let text = content?["text"]?.string ?? ""
            guard let responseBody = content?["encoding"]?.string == "base64" ? Data(base64Encoded: text) : Data(text.utf8) else {
                throw Problem(description: "\(place).response.content.text is marked base64 but is not")
            }
            // Chunks that are not whole numbers or do not add up to the body are dropped (checked
            // arithmetic: a file may hold any number).
            let listed = extra?["chunks"]?.array
            var chunks = listed?.compactMap { chunk -> ResponseChunk? in
                guard let size = chunk["size"]?.int, let milliseconds = chunk["ms"]?.int else { return nil }
                return ResponseChunk(size: size, milliseconds: milliseconds)
            }
            if let listed, chunks?.count != listed.count || !ResponseChunk.covers(chunks ?? [], bodySize: responseBody.count) {
                chunks = nil
                warnings.append("\(place)._tapedeck.chunks: \(listed.count) chunk\(listed.count == 1 ? "" : "s") that are not whole numbers or do not add up to the \(responseBody.count)-byte body; imported without chunk timing")
            } else if extra?["chunks"] != nil, listed == nil {
                warnings.append("\(place)._tapedeck.chunks is not a list; imported without chunk timing")
            }
            interactions.append(Interaction(
                request: RecordedRequest(method: method, url: url, headers: headers(request["headers"]), body: body,
                                         redacted: kinds(extra?["requestRedacted"])),
                response: RecordedResponse(status: status, headers: headers(response["headers"]), body: responseBody,
                                           chunks: chunks,
                                           redacted: kinds(extra?["responseRedacted"]))))
        }
        return (interactions, warnings)
    }

    private static func headers(_ value: JSONValue?) -> HTTPHeaders {
        // HTTP/2 captures carry pseudo-headers (":authority"): not headers of the request itself.
        HTTPHeaders((value?.array ?? []).compactMap { header in
            guard let name = header["name"]?.string, let value = header["value"]?.string, !name.hasPrefix(":") else { return nil }
            return (name, value)
        })
    }

    private static func kinds(_ value: JSONValue?) -> [CredentialKind] {
        (value?.array ?? []).compactMap { $0.string.flatMap(CredentialKind.init(rawValue:)) }
    }

    private static func queryString(_ url: String) -> JSONValue {
        .array((URLComponents(string: url)?.queryItems ?? []).map { ["name": .text($0.name), "value": .text($0.value ?? "")] })
    }
}
