import Foundation

// The JSON Lines encoding of the format (version 1). Keys are always written in this order:
//
// header:      {"format":"tapedeck-cassette","version":1,"name":N,"writer":W}
// interaction: {"request":{"method":M,"url":U,"headers":[[n,v],...],"body":B,"redacted":[k,...]},
//               "response":{"status":S,"headers":[[n,v],...],"body":B,
//                           "chunks":[{"size":n,"ms":t},...],"redacted":[k,...],"undecoded":E}}
//
// B is a JSON string when the bytes are valid UTF-8, else {"base64":"..."}. A request body is
// absent when the request had none; "chunks" is absent for a response that was not streamed;
// "undecoded" (the Content-Encoding of a body that could not be decoded, hence not scrubbed) is
// absent for every body that was decoded. An answer made in code (a stub) adds, after "response",
// "stub":{"match":["method","path"],"times":N} ("times" absent when it answers every time).

extension Cassette {
    /// The header line, without its newline.
    package func encodedHeader() -> [UInt8] {
        var json = JSONWriter(capacity: 128)
        json.raw("{")
        json.key("format"); json.string(Cassette.formatName); json.comma()
        json.key("version"); json.int(Cassette.formatVersion); json.comma()
        json.key("name"); json.string(name); json.comma()
        json.key("writer"); json.string(writer)
        json.raw("}")
        return json.bytes
    }

    /// The whole decompressed file: header and interactions, one per line, each ending in `\n`.
    package func encodedLines() -> [UInt8] {
        var bytes = encodedHeader()
        bytes.append(0x0a)
        for interaction in interactions {
            bytes += interaction.encodedLine()
            bytes.append(0x0a)
        }
        return bytes
    }
}

extension Interaction {
    /// This interaction's line, without its newline.
    package func encodedLine() -> [UInt8] {
        // Sized once, exactly enough for the bodies as they will be written: a large answer is
        // then held once more as its line, never copied again by a growing buffer.
        let requestBody = request.body.map(WrittenBody.init), responseBody = WrittenBody(response.body)
        var capacity = 4096 + (requestBody?.size ?? 0) + responseBody.size + (response.chunks?.count ?? 0) * 48
        for header in Array(request.headers) + Array(response.headers) { capacity += 8 + 2 * (header.name.utf8.count + header.value.utf8.count) }
        var json = JSONWriter(capacity: capacity)
        json.raw("{")
        json.key("request"); json.raw("{")
        json.key("method"); json.string(request.method); json.comma()
        json.key("url"); json.string(request.url); json.comma()
        json.key("headers"); json.headers(request.headers)
        if let body = request.body, let requestBody { json.comma(); json.key("body"); json.body(body, requestBody) }
        json.comma(); json.key("redacted"); json.kinds(request.redacted)
        json.raw("}"); json.comma()
        json.key("response"); json.raw("{")
        json.key("status"); json.int(response.status); json.comma()
        json.key("headers"); json.headers(response.headers); json.comma()
        json.key("body"); json.body(response.body, responseBody)
        if let chunks = response.chunks {
            json.comma(); json.key("chunks"); json.raw("[")
            for (index, chunk) in chunks.enumerated() {
                if index > 0 { json.comma() }
                json.raw("{"); json.key("size"); json.int(chunk.size); json.comma()
                json.key("ms"); json.int(chunk.milliseconds); json.raw("}")
            }
            json.raw("]")
        }
        json.comma(); json.key("redacted"); json.kinds(response.redacted)
        if let undecoded = response.undecodedEncoding { json.comma(); json.key("undecoded"); json.string(undecoded) }
        json.raw("}")
        if let stub {
            json.comma(); json.key("stub"); json.raw("{")
            json.key("match"); json.raw("[")
            for (index, part) in stub.parts.enumerated() {
                if index > 0 { json.comma() }
                json.string(part.rawValue)
            }
            json.raw("]")
            if let times = stub.times { json.comma(); json.key("times"); json.int(times) }
            json.raw("}")
        }
        json.raw("}")
        return json.bytes
    }
}

/// How a body goes into a line, decided once per body: as a JSON string when it is UTF-8 text,
/// else as base64 in an object; and how many bytes that takes.
private struct WrittenBody {
    let isText: Bool
    let size: Int

    init(_ body: Data) {
        (isText, size) = body.withUnsafeBytes { raw in
            let utf8 = raw.bindMemory(to: UInt8.self)
            guard UTF8Validation.isValid(utf8) else { return (false, 16 + (utf8.count + 2) / 3 * 4) }
            return (true, JSONWriter.escapedSize(utf8))
        }
    }
}

extension Interaction {
    /// Refuses what the reader would refuse, so nothing unreadable is ever written.
    package func validate(in path: String) throws(TapeDeckError) {
        if let chunks = response.chunks {
            guard ResponseChunk.covers(chunks, bodySize: response.body.count) else {
                throw TapeDeckError(.invalidField, file: path,
                    reason: "not written: the response chunks of \(request.method) \(request.url) do not add up to the body's \(response.body.count) bytes")
            }
        }
        guard (100...999).contains(response.status) else {
            throw TapeDeckError(.invalidField, file: path, reason: "not written: status \(response.status) of \(request.method) \(request.url) is not from 100 to 999")
        }
    }
}

extension JSONWriter {
    fileprivate mutating func headers(_ headers: HTTPHeaders) {
        raw("[")
        for (index, header) in headers.enumerated() {
            if index > 0 { comma() }
            raw("["); string(header.name); comma(); string(header.value); raw("]")
        }
        raw("]")
    }

    fileprivate mutating func kinds(_ kinds: [CredentialKind]) {
        raw("[")
        for (index, kind) in kinds.enumerated() {
            if index > 0 { comma() }
            string(kind.rawValue)
        }
        raw("]")
    }

    fileprivate mutating func body(_ body: Data, _ form: WrittenBody) {
        if form.isText {
            body.withUnsafeBytes { string($0.bindMemory(to: UInt8.self)) }
        } else {
            raw("{"); key("base64"); string(body.base64EncodedString()); raw("}")
        }
    }
}

