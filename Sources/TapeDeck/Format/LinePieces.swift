import Foundation

/// The interaction lines of a cassette, cut into pieces that are parsed on separate cores.
///
/// Parsing is most of a load (inflating is the rest), and lines are independent: a 50 MB
/// cassette is cut at line boundaries into one piece per core, each piece is parsed on its own
/// thread, and the pieces are returned in file order. Text under ``minimumPieceBytes`` per
/// piece is parsed on the calling thread alone.
enum LinePieces {
    /// What one piece of lines decoded to.
    struct Parsed {
        /// Its interactions, in order.
        var interactions: [Interaction] = []
        /// How many lines it had (blank ones included); only counted up to a failure.
        var lines = 0
        /// The first bad line: its 1-based number within the piece, and what is wrong.
        var failure: (line: Int, problem: LineDecoder.Problem)?
    }

    /// The smallest piece worth a thread of its own.
    static let minimumPieceBytes = 1 << 20

    /// Where the complete lines of `bytes` end: just after the last newline (0 without one).
    static func completeLinesEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        (bytes.lastIndex(of: 0x0a)).map { $0 + 1 } ?? 0
    }

    /// The position of the first newline at or after `start` (`bytes.count` without one).
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress,
              let newline = memchr(base + start, 0x0a, bytes.count - start) else { return bytes.count }
        return base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
    }

    /// Decodes `lines` (complete lines, each ending in a newline) into interactions, in as many
    /// pieces as its size and the cores call for; the pieces in file order.
    static func parse(_ lines: UnsafeBufferPointer<UInt8>, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Parsed] {
        let bounds = split(lines, into: max(1, min(cores, 16, lines.count / minimumPieceBytes)))
        guard bounds.count > 1 else { return [parse(piece: lines)] }
        // The threads share the input (read only) and the results, each writing only its own
        // element; concurrentPerform returns when all are done.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Parsed>.allocate(capacity: bounds.count)
        nonisolated(unsafe) let lines = lines
        results.initialize(repeating: Parsed())
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: bounds.count) { index in
            results[index] = parse(piece: UnsafeBufferPointer(rebasing: lines[bounds[index]]))
        }
        return Array(results)
    }

    /// `lines` cut into at most `count` ranges of whole lines, about equal in size, in order.
    static func split(_ lines: UnsafeBufferPointer<UInt8>, into count: Int) -> [Range<Int>] {
        var bounds: [Range<Int>] = []
        var start = 0
        for index in 1...count where start < lines.count {
            // The end of the line holding the even share's last byte (the last piece takes the rest).
            let end = index == count ? lines.count : min(lines.count, lineEnd(lines, from: max(start, lines.count / count * index - 1)) + 1)
            bounds.append(start..<end)
            start = end
        }
        return bounds
    }

    /// Decodes one piece of complete lines, stopping at the first bad one.
    static func parse(piece: UnsafeBufferPointer<UInt8>) -> Parsed {
        var parsed = Parsed()
        var start = 0
        while start < piece.count {
            let end = lineEnd(piece, from: start)
            parsed.lines += 1
            do throws(LineDecoder.Problem) {
                if let interaction = try LineDecoder.interaction(line: UnsafeBufferPointer(rebasing: piece[start..<end])) {
                    parsed.interactions.append(interaction)
                }
            } catch {
                parsed.failure = (parsed.lines, error)
                return parsed
            }
            start = end + 1
        }
        return parsed
    }
}
