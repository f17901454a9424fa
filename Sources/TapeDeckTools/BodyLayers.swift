import Foundation
import TapeDeck

/// The texts a body holds for a secret scan: itself, and what is hidden inside it (a compressed
/// binary body inflated; base64 runs decoded, and inflated if they are compressed).
enum BodyLayers {
    /// The most bytes one hidden layer may inflate to before the scan stops looking into it.
    static let limit = 16 << 20
    /// The shortest base64 run worth decoding (a 16-byte secret is 22 characters).
    static let shortestRun = 20

    /// Each text with where it came from: `""` for the body itself, ` (inflated)`,
    /// ` (base64)` or ` (base64, inflated)` for what was inside it.
    static func texts(of body: Data) -> [(layer: String, text: String)] {
        var texts: [(String, String)] = []
        if let plain = String(data: body, encoding: .utf8) {
            texts.append(("", plain))
            for run in base64Runs(plain) {
                guard let decoded = decodeBase64(run) else { continue }
                if let inflated = inflate(decoded) {
                    texts.append((" (base64, inflated)", String(decoding: inflated, as: UTF8.self)))
                } else {
                    texts.append((" (base64)", String(decoding: decoded, as: UTF8.self)))
                }
            }
        } else if let inflated = inflate(body) {
            texts.append((" (inflated)", String(decoding: inflated, as: UTF8.self)))
        } else {
            texts.append(("", String(decoding: body, as: UTF8.self)))
        }
        return texts
    }

    /// gzip, zlib or raw deflate, tried by their look: gzip's magic, zlib's header check, and
    /// raw deflate for anything else binary.
    static func inflate(_ data: Data) -> Data? {
        guard data.count >= 2 else { return nil }
        var wrappers: [Gzip.Wrapper] = []
        if Gzip.startsLikeGzip(data) { wrappers.append(.gzip) }
        if Gzip.startsLikeZlib(data) { wrappers.append(.zlib) }
        wrappers.append(.raw)
        guard case .success(let bytes) = Gzip.inflate(data, tryingInOrder: wrappers, limit: limit), !bytes.isEmpty else { return nil }
        return Data(bytes)
    }

    /// Runs of base64 characters (standard or URL-safe, padding left out, so `name=value`
    /// splits at the `=`) long enough to hide a key.
    static func base64Runs(_ text: String) -> [Substring] {
        var runs: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index <= text.endIndex {
            let isBase64 = index < text.endIndex && (text[index].isASCII && (text[index].isLetter || text[index].isNumber || "+/-_".contains(text[index])))
            if isBase64, start == nil { start = index }
            if !isBase64, let begun = start {
                if text.distance(from: begun, to: index) >= shortestRun { runs.append(text[begun..<index]) }
                start = nil
            }
            if index == text.endIndex { break }
            index = text.index(after: index)
        }
        return runs
    }

    /// A run decoded as base64 (URL-safe letters mapped, padding restored); `nil` if it is not.
    static func decodeBase64(_ run: Substring) -> Data? {
        var normal = run.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        normal = normal.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        guard normal.count % 4 != 1 else { return nil }
        normal += String(repeating: "=", count: (4 - normal.count % 4) % 4)
        return Data(base64Encoded: normal)
    }
}
