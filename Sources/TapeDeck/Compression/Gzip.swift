import CZlib
package import Foundation

/// gzip (RFC 1952) through the system zlib: one member out, any number of members in.
///
/// Output is deterministic: modification time 0, no file name, OS byte "unknown" (255), so the
/// same bytes always compress to the same member on every platform with the same zlib.
package enum Gzip {
    /// The two magic bytes every gzip member starts with.
    package static let magic: [UInt8] = [0x1f, 0x8b]

    /// Compresses `bytes` into one complete gzip member.
    package static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(
            &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "zlib deflateInit2 failed with status \(initStatus)")
        defer { deflateEnd(&stream) }

        var header = gz_header()
        header.os = 255
        deflateSetHeader(&stream, &header)

        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        let produced = output.withUnsafeMutableBytes { out -> Int in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(bytes.count)
            stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
            stream.avail_out = uInt(out.count)
            let status = deflate(&stream, Z_FINISH)
            precondition(status == Z_STREAM_END, "zlib deflate did not finish (status \(status)) within deflateBound")
            return out.count - Int(stream.avail_out)
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Compresses `bytes` into one complete gzip member.
    package static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }

    /// Inflates every gzip member in `input`, concatenated, as `gzip -dc` does.
    ///
    /// A stream cut short (a process killed mid-write) is not an error: the result holds what
    /// inflated before the cut and ``Inflated/truncation`` says where the incomplete member starts.
    /// Damaged data (bad deflate codes, a checksum mismatch, bytes that are not a gzip member
    /// where one should start) throws ``TapeDeckError/Kind/corruptGzip`` with the byte offset.
    package static func decompress(_ input: UnsafeRawBufferPointer) throws(TapeDeckError) -> Inflated {
        // The last member's trailer holds its size (mod 2^32): for a compacted, one-member
        // cassette that is the whole output, so the buffer is allocated once.
        var sizeHint = input.count * 4
        if input.count >= 18 {
            let trailer = input.count - 4
            let lastSize = (0..<4).reduce(0) { $0 | Int(input[trailer + $1]) << (8 * $1) }
            sizeHint = max(sizeHint, lastSize + 1)
        }
        let result = Inflated(capacity: max(sizeHint, 4096))
        guard !input.isEmpty else {
            result.truncation = .init(memberOffset: 0, inputSize: 0)
            return result
        }
        guard input[0] == magic[0], input.count < 2 || input[1] == magic[1] else {
            throw TapeDeckError(.notGzip, offset: 0, reason: "not a gzip file (it does not start with the bytes 1f 8b)")
        }

        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "zlib inflateInit2 failed with status \(initStatus)")
        defer { inflateEnd(&stream) }

        let base = input.bindMemory(to: Bytef.self).baseAddress!
        var memberStart = 0
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = uInt(input.count)

        while true {
            result.reserve(extra: 64 * 1024)
            stream.next_out = result.end
            stream.avail_out = uInt(result.spare)
            let before = stream.avail_out
            let status = inflate(&stream, Z_NO_FLUSH)
            result.count += Int(before - stream.avail_out)
            let consumed = input.count - Int(stream.avail_in)

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
                if stream.avail_in == 0 && stream.avail_out > 0 {
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

    /// The output of ``decompress(_:)``: one contiguous, growable byte buffer.
    package final class Inflated {
        /// Where a stream cut short stops being whole.
        package struct Truncation: Sendable, Equatable {
            /// The file offset where the incomplete gzip member starts.
            package var memberOffset: Int
            /// The size of the input, where the cut is.
            package var inputSize: Int
        }

        package private(set) var base: UnsafeMutablePointer<UInt8>
        package var count = 0
        private var capacity: Int
        /// Output offsets where a complete member ends, in order.
        package var memberEnds: [Int] = []
        /// Set when the input ended inside a member.
        package var truncation: Truncation?

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }

        var end: UnsafeMutablePointer<UInt8> { base + count }
        var spare: Int { min(capacity - count, Int(UInt32.max)) }

        func reserve(extra: Int) {
            guard capacity - count < extra else { return }
            let newCapacity = max(capacity * 2, count + extra)
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }

        /// The inflated bytes, valid only while this object lives: hold it (`withExtendedLifetime`)
        /// or use ``data``.
        package var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

        /// A copy of the inflated bytes.
        package var data: Data { Data(bytes) }
    }
}
