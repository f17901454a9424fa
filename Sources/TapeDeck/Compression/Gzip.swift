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
        Deflater(level: level).member(bytes)
    }

    /// A deflate stream kept for many members: ``member(_:)`` resets it instead of setting zlib
    /// up again, which spares the hundreds of kilobytes of state (allocated, zeroed and unmapped)
    /// that a fresh stream costs for every small interaction a recorder appends. The members are
    /// byte for byte those of ``Gzip/compress(_:level:)``. Not thread-safe: one owner at a time.
    package final class Deflater {
        private let stream: UnsafeMutablePointer<z_stream>
        private let header: UnsafeMutablePointer<gz_header>

        package init(level: Int32 = 6) {
            stream = .allocate(capacity: 1)
            stream.initialize(to: z_stream())
            header = .allocate(capacity: 1)
            header.initialize(to: gz_header())
            header.pointee.os = 255
            let status = deflateInit2_(stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            precondition(status == Z_OK, "zlib deflateInit2 failed with status \(status)")
        }

        deinit {
            deflateEnd(stream)
            stream.deallocate()
            header.deallocate()
        }

        /// `bytes` as one complete gzip member.
        package func member(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
            deflateReset(stream)
            deflateSetHeader(stream, header)
            // Output grows as it is produced (a large, compressible body never costs a buffer of
            // its own size), and input goes in slices zlib's 32-bit counters can hold.
            let bound = Int(deflateBound(stream, uLong(min(bytes.count, 1 << 30)))) + 64
            var output: [UInt8] = []
            var piece = [UInt8](repeating: 0, count: min(bound, 1 << 18))
            let input = bytes.bindMemory(to: Bytef.self)
            var offset = 0
            var finished = false
            while !finished {
                let slice = min(input.count - offset, 1 << 30)
                let last = offset + slice == input.count
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + offset })
                stream.pointee.avail_in = uInt(slice)
                offset += slice
                repeat {
                    let produced = piece.withUnsafeMutableBytes { out -> Int in
                        stream.pointee.next_out = out.bindMemory(to: Bytef.self).baseAddress
                        stream.pointee.avail_out = uInt(out.count)
                        let status = deflate(stream, last ? Z_FINISH : Z_NO_FLUSH)
                        precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "zlib deflate failed with status \(status)")
                        if status == Z_STREAM_END { finished = true }
                        return out.count - Int(stream.pointee.avail_out)
                    }
                    output.append(contentsOf: piece[0..<produced])
                } while last ? !finished : stream.pointee.avail_in > 0
            }
            return output
        }

        /// `bytes` as one complete gzip member.
        package func member(_ bytes: [UInt8]) -> [UInt8] {
            bytes.withUnsafeBytes { member($0) }
        }
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
        /// The most the buffer may grow to.
        private let ceiling: Int
        /// Output offsets where a complete member ends, in order.
        package var memberEnds: [Int] = []
        /// Set when the input ended inside a member.
        package var truncation: Truncation?

        // The buffer comes from malloc and grows with realloc: a large block grows in place where
        // the C library can (glibc remaps its pages), so growing to the limit never holds the old
        // and the new buffer at once, and refusing a bomb costs about the limit, not 1.5-2x it.
        init(capacity: Int, ceiling: Int = .max) {
            self.capacity = capacity
            self.ceiling = ceiling
            guard let memory = malloc(capacity) else { fatalError("out of memory allocating \(capacity) bytes for inflating") }
            base = memory.assumingMemoryBound(to: UInt8.self)
        }

        deinit { free(base) }

        var end: UnsafeMutablePointer<UInt8> { base + count }
        var spare: Int { min(capacity - count, Int(UInt32.max)) }

        func reserve(extra: Int) {
            guard capacity - count < extra else { return }
            let doubled = capacity.multipliedReportingOverflow(by: 2)
            // Doubling, but never past the ceiling (the caller's limit): memory stays bounded.
            let newCapacity = min(max(doubled.overflow ? count + extra : doubled.partialValue, count + extra), max(ceiling, count + extra))
            guard let grown = realloc(base, newCapacity) else { fatalError("out of memory growing the inflate buffer to \(newCapacity) bytes") }
            base = grown.assumingMemoryBound(to: UInt8.self)
            capacity = newCapacity
        }

        /// The inflated bytes, valid only while this object lives: hold it (`withExtendedLifetime`)
        /// or use ``data``.
        package var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

        /// A copy of the inflated bytes.
        package var data: Data { Data(bytes) }
    }
}
