/// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF), checked in place: unlike `String(validating:as:)` it allocates nothing, so a
/// body of hundreds of megabytes is not copied just to learn how it will be written.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            // ASCII runs, eight bytes at a time.
            while index + 8 <= count {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { return true }
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xbf  // the allowed range of the second byte
            switch lead {
            case 0xc2...0xdf: length = 2
            case 0xe0: length = 3; lower = 0xa0
            case 0xe1...0xec, 0xee...0xef: length = 3
            case 0xed: length = 3; upper = 0x9f
            case 0xf0: length = 4; lower = 0x90
            case 0xf1...0xf3: length = 4
            case 0xf4: length = 4; upper = 0x8f
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<max(length, 2) where bytes[index + offset] & 0xc0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
