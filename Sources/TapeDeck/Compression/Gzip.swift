import CZlib
import Foundation

/// gzip (RFC 1952) through the system zlib: one member out, any number of members in.
///
/// Output is deterministic: modification time 0, no file name, OS byte "unknown" (255), so the
/// same bytes always compress to the same member on every platform with the same zlib.
package enum Gzip {
    /// The two magic bytes every gzip member starts with.
    package static let magic: [UInt8] = [0x1f, 0x8b]

    /// Compresses `bytes` into one complete gzip member.
    package static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
        Deflater(level: level).member(bytes)
    }

    /// Compresses `bytes` into a single gzip member.
    package static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }

    /// Inflates every gzip member in `input`, concatenated, as `gzip -dc` does.
    ///
    /// A stream cut short (a process killed mid-write) is not an error: the result holds what
    /// inflated before the cut and ``Inflated/truncation`` says where the incomplete member starts.
    /// Damaged data (bad deflate codes, a checksum mismatch, bytes that are not a gzip member
    /// where one should start) throws ``TapeDeckError/Kind/corruptGzip`` with the byte offset.
    /// More than `limit` bytes of output throws ``TapeDeckError/Kind/tooLarge`` as soon as the
    /// limit is passed: a gzip bomb costs at most `limit` bytes of memory.
    package static func decompress(_ input: UnsafeRawBufferPointer, limit: Int = CassetteLimits.defaultMaximumRawBytes) throws(TapeDeckError) -> Inflated {
        let limits = CassetteLimits(maximumRawBytes: limit)
        let result = Inflated(capacity: initialCapacity(for: input, limit: limits.maximumRawBytes), ceiling: limits.maximumRawBytes + 1)
        guard !input.isEmpty else {
            result.truncation = .init(memberOffset: 0, inputSize: 0)
            return result
        }
        guard input[0] == magic[0], input.count < 2 || input[1] == magic[1] else {
            throw TapeDeckError(.notGzip, offset: 0, reason: "not a gzip file (it does not start with the bytes 1f 8b)")
        }

        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw TapeDeckError(.corruptGzip, reason: "zlib could not start inflating (status \(initStatus))") }
        defer { inflateEnd(&stream) }

        let base = input.bindMemory(to: Bytef.self).baseAddress!
        var memberStart = 0
        var fed = 0
        stream.next_in = UnsafeMutablePointer(mutating: base)

        while true {
            // zlib counts input in 32 bits: feed a huge file in slices.
            if stream.avail_in == 0, fed < input.count {
                let slice = min(input.count - fed, Int(UInt32.max))
                stream.avail_in = uInt(slice)
                fed += slice
            }
            // Room for at most one byte past the limit: that byte proves the limit was passed.
            let room = limits.maximumRawBytes + 1 - result.count
            result.reserve(extra: min(64 * 1024, room))
            stream.next_out = result.end
            stream.avail_out = uInt(min(result.spare, room))
            let before = stream.avail_out
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            result.count += Int(before - stream.avail_out)
            if result.count > limits.maximumRawBytes { throw limits.tooLarge(nil) }
            let consumed = fed - Int(stream.avail_in)

            switch status {
            case Z_STREAM_END:
                result.memberEnds.append(result.count)
                if consumed == input.count { return result }
                // Another member must follow, starting with the magic bytes.
                let next = input[consumed]
                let second = consumed + 1 < input.count ? input[consumed + 1] : magic[1]
                guard next == magic[0], second == magic[1] else {
                    throw TapeDeckError(.corruptGzip, offset: consumed,
                        reason: "bytes after the gzip member ending here are not another gzip member")
                }
                memberStart = consumed
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                if stream.avail_in == 0 && fed == input.count && stream.avail_out > 0 {
                    result.truncation = .init(memberOffset: memberStart, inputSize: input.count)
                    return result
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw TapeDeckError(.corruptGzip, offset: memberStart,
                    reason: "damaged gzip member starting at this byte: \(message)")
            }
        }
    }

    /// The first buffer size. The last member's trailer states its size (mod 2^32): for a
    /// compacted cassette that is the whole output, so one allocation suffices. A trailer is
    /// untrusted, so the guess is capped by what deflate can plausibly reach from this input
    /// (64 times its size) and by the limit; the buffer grows if the guess was low.
    private static func initialCapacity(for input: UnsafeRawBufferPointer, limit: Int) -> Int {
        let plausible = input.count.multipliedReportingOverflow(by: 64)
        let cap = min(plausible.overflow ? Int.max : plausible.partialValue, limit + 1)
        var hint = min(input.count.multipliedReportingOverflow(by: 4).partialValue, cap)
        if input.count >= 18 {
            let trailer = input.count - 4
            let stated = (0..<4).reduce(0) { $0 | Int(input[trailer + $1]) << (8 * $1) }
            hint = max(hint, min(stated + 1, cap))
        }
        return max(4096, hint)
    }
}
