package import Foundation

/// HTTP content codings (RFC 9110 8.4) as a recorder meets them: which ones it may offer an
/// upstream, and how a body that arrives encoded is decoded before it is scrubbed and stored.
///
/// A body stored still compressed could hide an echoed key from every scrubbing pass, so a
/// recorder offers only codings it can decode (`gzip`, `x-gzip`, `deflate`) and decodes every
/// layer of what it receives, stacked codings (`gzip, gzip`) included.
package enum ContentCoding {
    /// The codings this build decodes.
    package static let decodable: Set<String> = ["gzip", "x-gzip", "deflate", "identity"]

    /// The `Accept-Encoding` to forward for a client that sent `clientValue`: its codings less
    /// the ones that cannot be decoded (`br`, `zstd`, `*`), or `nil` to send none (identity).
    package static func acceptable(_ clientValue: String?) -> String? {
        guard let clientValue else { return nil }
        let kept = clientValue.split(separator: ",").compactMap { item -> String? in
            let token = item.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).asciiLowercased } ?? ""
            return decodable.contains(token) && token != "identity" ? item.trimmingCharacters(in: .whitespaces) : nil
        }
        return kept.isEmpty ? nil : kept.joined(separator: ", ")
    }

    /// The codings named in `header` (a `Content-Encoding` value, possibly several joined by
    /// commas), in the order they were applied; `identity` left out.
    package static func layers(_ header: String) -> [String] {
        header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).asciiLowercased }.filter { !$0.isEmpty && $0 != "identity" }
    }

    /// `body` with every coding of `header` undone, last applied first.
    ///
    /// - Returns: the decoded bytes, or why they could not be decoded (an unknown coding such as
    ///   `br`, damaged data, more than `limit` bytes).
    package static func decode(_ body: Data, contentEncoding header: String, limit: Int) -> Result<Data, DecodingFailure> {
        var bytes = body
        for coding in layers(header).reversed() {
            let wrappers: [Gzip.Wrapper]
            switch coding {
            case "gzip", "x-gzip": wrappers = [.gzip]
            // `deflate` means zlib-wrapped; some servers send bare deflate under that name.
            case "deflate": wrappers = [.zlib, .raw]
            default: return .failure(DecodingFailure(reason: "the coding \(coding) cannot be decoded by this build"))
            }
            switch Gzip.inflate(bytes, tryingInOrder: wrappers, limit: limit) {
            case .success(let decoded): bytes = Data(decoded)
            case .failure(let error): return .failure(DecodingFailure(reason: "the \(coding) body cannot be decoded: \(error.reason)"))
            }
        }
        return .success(bytes)
    }

    /// Whether `body` still carries the coding `coding` (the last one applied), judged from its
    /// first bytes: a gzip member starts with `1f 8b`, a zlib stream with a valid two-byte header.
    /// A transport that decodes as it receives (URLSession, on every platform) keeps the
    /// `Content-Encoding` header of bytes it already decoded; this tells the two apart.
    ///
    /// - Returns: `nil` for a coding whose bytes have no signature (`br`, `zstd`, bare deflate).
    package static func isStillEncoded(_ body: Data, coding: String) -> Bool? {
        switch coding.asciiLowercased {
        case "gzip", "x-gzip": return Gzip.startsLikeGzip(body)
        case "deflate": return Gzip.startsLikeZlib(body)
        default: return nil
        }
    }

    /// Why a body could not be decoded.
    package struct DecodingFailure: Error, Sendable {
        package var reason: String
    }
}

extension RecordedResponse {
    /// This response as a cassette stores it: the body decoded from every `Content-Encoding`
    /// layer, the `Content-Encoding` and `Content-Length` headers that described the encoded
    /// bytes removed, and the chunks (which were pieces of the encoded stream) dropped.
    ///
    /// A body that cannot be decoded is kept as it came, with its headers, and marked with
    /// ``undecodedEncoding``: it could not be searched for credentials, so the caller must warn
    /// loudly, and `tapedeck verify` fails on it.
    ///
    /// - Returns: the response to store, and a warning when the body could not be decoded.
    package func decodedForStorage(limit: Int = CassetteLimits.defaultMaximumRawBytes) -> (response: RecordedResponse, warning: String?) {
        let header = headers.values(named: "Content-Encoding").joined(separator: ", ")
        guard !ContentCoding.layers(header).isEmpty else { return (self, nil) }
        var stored = self
        switch ContentCoding.decode(body, contentEncoding: header, limit: limit) {
        case .success(let plain):
            stored.body = plain
            stored.headers.removeAll(named: "Content-Encoding")
            stored.headers.removeAll(named: "Content-Length")
            stored.chunks = nil
            return (stored, nil)
        case .failure(let failure):
            stored.undecodedEncoding = header
            return (stored, "the body (Content-Encoding: \(header)) is stored as it came, NOT scrubbed of credentials: \(failure.reason). Check it with `tapedeck verify` before committing the cassette")
        }
    }
}
