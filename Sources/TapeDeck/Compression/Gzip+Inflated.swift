package import Foundation

extension Gzip {
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
