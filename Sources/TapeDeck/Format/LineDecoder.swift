import Foundation

// Reading one line of the format (see Interaction+JSONLine.swift for the layout).

/// Reads the parsed JSON of one line into the model, naming the field that is wrong.
struct LineDecoder {
    /// A field problem; the reader adds the file and line.
    struct Problem: Error {
        var kind: TapeDeckError.Kind
        var reason: String
    }

    /// The header a line holds; `nil` for a blank line.
    static func header(line: UnsafeBufferPointer<UInt8>) throws(Problem) -> (name: String, writer: String)? {
        try json(line).map { (value) throws(Problem) in try header(value) }
    }

    /// The interaction a line holds; `nil` for a blank line.
    static func interaction(line: UnsafeBufferPointer<UInt8>) throws(Problem) -> Interaction? {
        try json(line).map { (value) throws(Problem) in try interaction(value) }
    }

    /// The JSON value of a line; `nil` for a blank one (a trailing one in a hand-written file
    /// carries nothing).
    private static func json(_ line: UnsafeBufferPointer<UInt8>) throws(Problem) -> JSONValue? {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { return nil }
        do {
            return try JSONParser.parse(line)
        } catch {
            throw Problem(kind: .invalidJSON, reason: "invalid JSON at column \(error.column): \(error.reason)")
        }
    }

    static func header(_ value: JSONValue) throws(Problem) -> (name: String, writer: String) {
        guard case .object = value, let format = value["format"]?.string, format == Cassette.formatName else {
            throw Problem(kind: .missingHeader, reason: "the first line is not a cassette header (expected {\"format\":\"\(Cassette.formatName)\",...})")
        }
        guard let version = value["version"] else { throw Problem(kind: .missingField, reason: "the header has no \"version\"") }
        guard let number = version.int else { throw Problem(kind: .invalidField, reason: "\"version\" must be an integer, found \(version.typeName)") }
        guard number == Cassette.formatVersion else {
            throw Problem(kind: .unsupportedVersion,
                reason: "format version \(number) is not supported (this is \(TapeDeckVersion.writer), which reads version \(Cassette.formatVersion)); upgrade TapeDeck to read it")
        }
        let name = try optionalString(value, "name", in: "header") ?? ""
        let writer = try optionalString(value, "writer", in: "header") ?? "unknown"
        return (name, writer)
    }

    static func interaction(_ value: JSONValue) throws(Problem) -> Interaction {
        guard case .object = value else { throw Problem(kind: .invalidField, reason: "an interaction must be a JSON object, found \(value.typeName)") }
        let request = try object(value, "request", in: "interaction")
        let response = try object(value, "response", in: "interaction")
        let status = try field(response, "status", in: "response")
        guard let code = status.int, (100...999).contains(code) else {
            throw Problem(kind: .invalidField, reason: "\"response.status\" must be an integer from 100 to 999")
        }
        let responseBody = try body(try field(response, "body", in: "response"), "response.body")
        var chunks: [ResponseChunk]?
        if let list = response["chunks"], !isNull(list) {
            chunks = try self.chunks(list, bodySize: responseBody.count)
        }
        return Interaction(
            request: RecordedRequest(
                method: try string(request, "method", in: "request"),
                url: try string(request, "url", in: "request"),
                headers: try headers(request, in: "request"),
                body: try request["body"].flatMap { (body) throws(Problem) in isNull(body) ? nil : try self.body(body, "request.body") },
                redacted: try kinds(request, in: "request")),
            response: RecordedResponse(
                status: code,
                headers: try headers(response, in: "response"),
                body: responseBody,
                chunks: chunks,
                redacted: try kinds(response, in: "response"),
                undecodedEncoding: try optionalString(response, "undecoded", in: "response")),
            stub: try value["stub"].flatMap { (rule) throws(Problem) in isNull(rule) ? nil : try stub(rule) })
    }

    private static func stub(_ value: JSONValue) throws(Problem) -> StubRule {
        let names = StubRule.Part.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .object = value, case .array(let items)? = value["match"], !items.isEmpty else {
            throw Problem(kind: .invalidField, reason: "\"stub\" must be {\"match\": [part, ...], \"times\": n} with parts among \(names)")
        }
        var parts: [StubRule.Part] = []
        for item in items {
            guard let text = item.string, let part = StubRule.Part(rawValue: text) else {
                throw Problem(kind: .invalidField, reason: "\"stub.match\" holds an entry that is not one of \(names)")
            }
            parts.append(part)
        }
        var times: Int?
        if let count = value["times"], !isNull(count) {
            guard let number = count.int, number >= 1 else { throw Problem(kind: .invalidField, reason: "\"stub.times\" must be an integer of at least 1") }
            times = number
        }
        return StubRule(parts: parts, times: times)
    }

    private static func isNull(_ value: JSONValue) -> Bool {
        if case .null = value { return true }
        return false
    }

    private static func field(_ value: JSONValue, _ key: String, in parent: String) throws(Problem) -> JSONValue {
        guard let field = value[key] else { throw Problem(kind: .missingField, reason: "missing field \"\(parent).\(key)\"") }
        return field
    }

    private static func object(_ value: JSONValue, _ key: String, in parent: String) throws(Problem) -> JSONValue {
        let field = try field(value, key, in: parent)
        guard case .object = field else { throw Problem(kind: .invalidField, reason: "\"\(key)\" must be an object, found \(field.typeName)") }
        return field
    }

    private static func string(_ value: JSONValue, _ key: String, in parent: String) throws(Problem) -> String {
        let field = try field(value, key, in: parent)
        guard let text = field.string else { throw Problem(kind: .invalidField, reason: "\"\(parent).\(key)\" must be a string, found \(field.typeName)") }
        return text
    }

    private static func optionalString(_ value: JSONValue, _ key: String, in parent: String) throws(Problem) -> String? {
        guard let field = value[key] else { return nil }
        guard let text = field.string else { throw Problem(kind: .invalidField, reason: "\"\(parent).\(key)\" must be a string, found \(field.typeName)") }
        return text
    }

    private static func headers(_ value: JSONValue, in parent: String) throws(Problem) -> HTTPHeaders {
        guard let field = value["headers"] else { return [:] }
        guard case .array(let pairs) = field else {
            throw Problem(kind: .invalidField, reason: "\"\(parent).headers\" must be an array of [name, value] pairs")
        }
        var lines: [HTTPHeader] = []
        lines.reserveCapacity(pairs.count)
        for (index, pair) in pairs.enumerated() {
            guard case .array(let parts) = pair, parts.count == 2, let name = parts[0].string, let text = parts[1].string else {
                throw Problem(kind: .invalidField, reason: "\"\(parent).headers[\(index)]\" must be a [name, value] pair of strings")
            }
            lines.append(HTTPHeader(name: name, value: text))
        }
        return HTTPHeaders(lines)
    }

    private static func kinds(_ value: JSONValue, in parent: String) throws(Problem) -> [CredentialKind] {
        guard let field = value["redacted"] else { return [] }
        guard case .array(let items) = field else { throw Problem(kind: .invalidField, reason: "\"\(parent).redacted\" must be an array of strings") }
        var kinds: [CredentialKind] = []
        for item in items {
            guard let text = item.string, let kind = CredentialKind(rawValue: text) else {
                throw Problem(kind: .invalidField, reason: "\"\(parent).redacted\" holds an entry that is not \"header:NAME\", \"query:NAME\" or \"body:NAME\"")
            }
            kinds.append(kind)
        }
        return kinds
    }

    private static func body(_ value: JSONValue, _ path: String) throws(Problem) -> Data {
        switch value {
        case .string(let bytes):
            return Data(bytes)
        case .object:
            guard let encoded = value["base64"]?.string else {
                throw Problem(kind: .invalidField, reason: "\"\(path)\" must be a string or {\"base64\": \"...\"}")
            }
            guard let data = Data(base64Encoded: encoded) else { throw Problem(kind: .invalidField, reason: "\"\(path).base64\" is not valid base64") }
            return data
        default:
            throw Problem(kind: .invalidField, reason: "\"\(path)\" must be a string or {\"base64\": \"...\"}, found \(value.typeName)")
        }
    }

    private static func chunks(_ value: JSONValue, bodySize: Int) throws(Problem) -> [ResponseChunk] {
        guard case .array(let items) = value else { throw Problem(kind: .invalidField, reason: "\"response.chunks\" must be an array") }
        // Never more chunks than body bytes (an empty body has one empty chunk at most).
        guard items.count <= max(1, bodySize) else {
            throw Problem(kind: .invalidField, reason: "\"response.chunks\" has \(items.count) entries for a body of \(bodySize) bytes")
        }
        var chunks: [ResponseChunk] = []
        chunks.reserveCapacity(items.count)
        var total = 0
        for (index, item) in items.enumerated() {
            guard let size = item["size"]?.int, size >= 0, let milliseconds = item["ms"]?.int, milliseconds >= 0 else {
                throw Problem(kind: .invalidField, reason: "\"response.chunks[\(index)]\" must be {\"size\": n, \"ms\": t} with n, t >= 0")
            }
            let (sum, overflow) = total.addingReportingOverflow(size)
            guard !overflow, sum <= bodySize else {
                throw Problem(kind: .invalidField, reason: "\"response.chunks\" sizes add up to more than the body's \(bodySize) bytes (at chunks[\(index)])")
            }
            total = sum
            chunks.append(ResponseChunk(size: size, milliseconds: milliseconds))
        }
        guard total == bodySize else {
            throw Problem(kind: .invalidField, reason: "\"response.chunks\" sizes add up to \(total) bytes but the body has \(bodySize)")
        }
        return chunks
    }
}
