package import Foundation

extension Gzip {
    /// `data` inflated with the first of `wrappers` that takes it (a body sent as `deflate` may
    /// be zlib-wrapped or bare): the one loop for content decoding and the secret scan.
    ///
    /// - Returns: the inflated bytes, or the last wrapper's error.
    package static func inflate(_ data: Data, tryingInOrder wrappers: [Wrapper], limit: Int) -> Result<[UInt8], TapeDeckError> {
        var last = TapeDeckError(.corruptGzip, reason: "no wrapper was given to inflate with")
        for wrapper in wrappers {
            let result = data.withUnsafeBytes { raw in Result { () throws(TapeDeckError) in try inflate(raw, wrapper: wrapper, limit: limit) } }
            switch result {
            case .success: return result
            case .failure(let error): last = error
            }
        }
        return .failure(last)
    }

    /// Whether `data` starts as a gzip member does (`1f 8b`).
    package static func startsLikeGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Whether `data` starts with a valid zlib header (deflate method, the check bits right).
    package static func startsLikeZlib(_ data: Data) -> Bool {
        guard data.count >= 2 else { return false }
        let first = data[data.startIndex], second = data[data.startIndex + 1]
        return first & 0x0f == 8 && (UInt16(first) << 8 | UInt16(second)) % 31 == 0
    }
}
