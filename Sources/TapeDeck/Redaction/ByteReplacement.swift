import Foundation

/// Replaces every occurrence of some needles in a byte sequence, remembering where the
/// replacements went so offsets into the old bytes (chunk boundaries) can be moved.
struct ByteReplacement {
    /// One replaced span: where it was in the old bytes and how long it is now.
    struct Edit {
        var oldRange: Range<Int>
        var newCount: Int
    }

    /// The bytes after replacing; empty (not a copy of the input) when nothing was replaced.
    private(set) var bytes: [UInt8] = []
    private(set) var edits: [Edit] = []

    /// Needles made ready for many searches: longest first, and a table of their first bytes.
    struct Needles: Sendable {
        private(set) var sorted: [[UInt8]] = []
        /// Indexed by byte: whether a needle starts with it (empty when there are no needles).
        fileprivate var starts: [Bool] = []

        init(_ needles: [[UInt8]] = []) {
            sorted = needles.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
            guard !sorted.isEmpty else { return }
            starts = [Bool](repeating: false, count: 256)
            for needle in sorted { starts[Int(needle[0])] = true }
        }

        var isEmpty: Bool { sorted.isEmpty }

        /// No needles (made once: a redactor starts with these).
        static let none = Needles()
    }

    /// Replaces, left to right, every occurrence of any of `needles` (longest first wins at a
    /// position) with `replacement`.
    static func replacing(_ needles: [[UInt8]], with replacement: [UInt8], in bytes: some ContiguousBytes) -> ByteReplacement {
        replacing(Needles(needles), with: replacement, in: bytes)
    }

    /// Replaces, left to right, every occurrence of any of `needles` (longest first wins at a
    /// position) with `replacement`.
    static func replacing(_ prepared: Needles, with replacement: [UInt8], in bytes: some ContiguousBytes) -> ByteReplacement {
        var result = ByteReplacement()
        let needles = prepared.sorted
        guard !needles.isEmpty else { return result }
        let starts = prepared.starts
        var output: [UInt8] = []
        var index = 0
        var copiedUpTo = 0
        bytes.withUnsafeBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            while index < buffer.count {
                guard starts[Int(buffer[index])] else { index += 1; continue }
                guard let needle = needles.first(where: { matches($0, buffer, at: index) }) else { index += 1; continue }
                if output.isEmpty { output.reserveCapacity(buffer.count) }
                output.append(contentsOf: buffer[copiedUpTo..<index])
                output.append(contentsOf: replacement)
                result.edits.append(Edit(oldRange: index..<(index + needle.count), newCount: replacement.count))
                index += needle.count
                copiedUpTo = index
            }
            if !result.edits.isEmpty { output.append(contentsOf: buffer[copiedUpTo...]) }
        }
        if !result.edits.isEmpty { result.bytes = output }
        return result
    }

    private static func matches(_ needle: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + needle.count <= buffer.count else { return false }
        for offset in 0..<needle.count where buffer[index + offset] != needle[offset] { return false }
        return true
    }

    /// Where `oldOffset` in the old bytes is in the new ones. An offset inside a replaced span
    /// moves to that span's end, so a chunk boundary never splits a placeholder.
    func newOffset(for oldOffset: Int) -> Int {
        var shift = 0
        for edit in edits {
            if oldOffset <= edit.oldRange.lowerBound { break }
            if oldOffset < edit.oldRange.upperBound {
                return edit.oldRange.lowerBound + shift + edit.newCount
            }
            shift += edit.newCount - edit.oldRange.count
        }
        return oldOffset + shift
    }
}
