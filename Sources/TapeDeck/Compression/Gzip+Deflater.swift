import CZlib

extension Gzip {
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
}
