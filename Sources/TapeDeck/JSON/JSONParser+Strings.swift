// Strings and keys: the part of parsing a cassette spends most of its time in (bodies are strings).

extension JSONParser {
    /// Parses an object key starting at the opening quote. A key without escapes (all of a
    /// cassette's) becomes a `String` straight from the line, with no byte array in between.
    mutating func parseKey() throws(Failure) -> String {
        let base = bytes.baseAddress!
        let start = position + 1
        let end = Self.plainRunEnd(base, from: start, count: bytes.count)
        let key: String?
        if end < bytes.count, base[end] == UInt8(ascii: "\"") {
            key = String(validating: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            position = end + 1
        } else {
            key = String(validating: try parseString(), as: UTF8.self)
        }
        guard let key else { throw failure("object key is not valid UTF-8") }
        return key
    }

    /// Parses a string starting at the opening quote; returns its unescaped bytes.
    mutating func parseString() throws(Failure) -> [UInt8] {
        position += 1
        let base = bytes.baseAddress!
        let start = position
        // Fast path: no escapes at all, one copy.
        position = Self.plainRunEnd(base, from: position, count: bytes.count)
        guard position < bytes.count else { throw failure("unterminated string") }
        if base[position] == UInt8(ascii: "\"") {
            position += 1
            return Array(UnsafeBufferPointer(start: base + start, count: position - 1 - start))
        }
        // Escapes: unescape in one pass into the scratch buffer (a line's worth, allocated once
        // per line), then copy out. Unescaped text is never longer than the escaped text.
        if scratch == nil { scratch = .allocate(capacity: bytes.count) }
        let out = scratch!
        var written = position - start
        out.update(from: base + start, count: written)
        while true {
            let runEnd = Self.plainRunEnd(base, from: position, count: bytes.count)
            (out + written).update(from: base + position, count: runEnd - position)
            written += runEnd - position
            position = runEnd
            guard position < bytes.count else { throw failure("unterminated string") }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw failure("control character \(byte) must be escaped inside a string") }
            // A backslash. `\"` is by far the most common escape (JSON bodies stored as strings).
            if position + 1 < bytes.count, base[position + 1] == UInt8(ascii: "\"") {
                out[written] = 0x22
                written += 1
                position += 2
            } else {
                written += try decodeEscape(into: out + written)
            }
        }
        position += 1
        return Array(UnsafeBufferPointer(start: out, count: written))
    }

    /// The position of the first quote, backslash or control character at or after `position`
    /// (or `count`), looking at eight bytes at a time.
    @inline(__always)
    private static func plainRunEnd(_ base: UnsafePointer<UInt8>, from position: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var position = position
        while position + 8 <= count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self).littleEndian
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5c)
            // A byte is flagged when it is zero (for quote/backslash) or below 0x20.
            let flags = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)) & highs
            if flags != 0 { return position + flags.trailingZeroBitCount / 8 }
            position += 8
        }
        while position < count {
            let byte = base[position]
            if byte == 0x22 || byte == 0x5c || byte < 0x20 { return position }
            position += 1
        }
        return count
    }

    /// Decodes the escape at `position` (a backslash) into `out`; returns the bytes written.
    private mutating func decodeEscape(into out: UnsafeMutablePointer<UInt8>) throws(Failure) -> Int {
        guard position + 1 < bytes.count else { throw failure("unterminated escape sequence") }
        let code = bytes[position + 1]
        position += 2
        let simple: UInt8
        switch code {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5c
        case UInt8(ascii: "/"): simple = 0x2f
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0c
        case UInt8(ascii: "n"): simple = 0x0a
        case UInt8(ascii: "r"): simple = 0x0d
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw failure("lone high surrogate in \\u escape")
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid low surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("lone low surrogate in \\u escape")
            }
            var count = 0
            for unit in Unicode.Scalar(scalar)!.utf8 {
                out[count] = unit
                count += 1
            }
            return count
        default:
            position -= 1
            throw failure("invalid escape '\\\(Self.printable(code))'")
        }
        out.pointee = simple
        return 1
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
