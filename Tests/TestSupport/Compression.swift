import CZlib
public import Foundation

/// Compresses test bodies the ways upstreams do, so the recorder's decoding can be tested with
/// real zlib output (the product only ever inflates).
public enum TestCompression {
    /// gzip (31), zlib (15) or raw deflate (-15) window bits.
    public enum Wrapper: Int32, Sendable {
        case gzip = 31, zlib = 15, raw = -15
    }

    /// `bytes` deflated inside `wrapper`.
    public static func deflate(_ bytes: Data, _ wrapper: Wrapper) -> Data {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 6, Z_DEFLATED, wrapper.rawValue, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = [UInt8](bytes)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                precondition(CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Data(output[..<produced])
    }
}
