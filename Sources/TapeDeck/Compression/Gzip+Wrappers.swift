import CZlib
package import Foundation

extension Gzip {
    /// How a deflate payload is wrapped (an HTTP `Content-Encoding`).
    package enum Wrapper: Sendable {
        /// gzip members (RFC 1952), any number in a row.
        case gzip
        /// zlib (RFC 1950), what `Content-Encoding: deflate` means.
        case zlib
        /// Bare deflate (RFC 1951), what some servers send as `deflate` all the same.
        case raw
    }

    /// Inflates a whole payload strictly: a payload cut short, damaged, or larger than `limit`
    /// throws, with the reason.
    package static func inflate(_ input: UnsafeRawBufferPointer, wrapper: Wrapper, limit: Int) throws(TapeDeckError) -> [UInt8] {
        var stream = z_stream()
        let windowBits: Int32 = switch wrapper { case .gzip: 31; case .zlib: 15; case .raw: -15 }
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TapeDeckError(.corruptGzip, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        guard let base = input.bindMemory(to: Bytef.self).baseAddress, input.count <= Int(UInt32.max) else {
            throw TapeDeckError(.corruptGzip, reason: input.isEmpty ? "the payload is empty" : "the payload is larger than 4 GiB")
        }
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = uInt(input.count)
        // One buffer growing in place (``Inflated``), as `decompress` uses: refusing a bomb costs
        // about the limit, not the limit plus a copy.
        let output = Inflated(capacity: 64 * 1024, ceiling: limit.addingReportingOverflow(1).overflow ? limit : limit + 1)
        while true {
            output.reserve(extra: 64 * 1024)
            stream.next_out = output.end
            stream.avail_out = uInt(min(output.spare, 64 * 1024))
            let before = Int(stream.avail_out)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = before - Int(stream.avail_out)
            guard output.count + produced <= limit else {
                throw TapeDeckError(.tooLarge, reason: "the payload inflates to more than \(limit) bytes")
            }
            output.count += produced
            switch status {
            case Z_STREAM_END:
                // gzip allows several members back to back; zlib and raw end here.
                guard wrapper == .gzip, stream.avail_in > 0 else {
                    guard stream.avail_in == 0 else {
                        throw TapeDeckError(.corruptGzip, reason: "\(stream.avail_in) bytes follow the end of the compressed data")
                    }
                    return Array(output.bytes)
                }
                inflateReset(&stream)
            case Z_OK:
                continue
            case Z_BUF_ERROR where produced > 0:
                continue
            case Z_BUF_ERROR:
                throw TapeDeckError(.corruptGzip, reason: "the compressed data is cut short")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw TapeDeckError(.corruptGzip, reason: "the compressed data is damaged: \(message)")
            }
        }
    }

    /// `data` inflated with the first of `wrappers` that takes it (a body sent as `deflate` may
    /// be zlib-wrapped or bare): the one loop for content decoding and the secret scan.
    ///
    /// - Returns: the inflated bytes, or the last wrapper's error.
    package static func inflate(_ data: Data, tryingInOrder wrappers: [Wrapper], limit: Int) -> Result<[UInt8], TapeDeckError> {
        var last = TapeDeckError(.corruptGzip, reason: "no wrapper was given to inflate with")
        for wrapper in wrappers {
            let result = data.withUnsafeBytes { raw in Result { () throws(TapeDeckError) in try inflate(raw, wrapper: wrapper, limit: limit) } }
            switch result {
            case .success: return result
            case .failure(let error): last = error
            }
        }
        return .failure(last)
    }

    /// Whether `data` starts as a gzip member does (`1f 8b`).
    package static func startsLikeGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Whether `data` starts with a valid zlib header (deflate method, the check bits right).
    package static func startsLikeZlib(_ data: Data) -> Bool {
        guard data.count >= 2 else { return false }
        let first = data[data.startIndex], second = data[data.startIndex + 1]
        return first & 0x0f == 8 && (UInt16(first) << 8 | UInt16(second)) % 31 == 0
    }
}
