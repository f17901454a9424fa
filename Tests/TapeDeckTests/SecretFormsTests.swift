import Foundation
import Testing
@testable import TapeDeck

/// A learned secret is found again under the encodings an echo can wrap it in.
@Suite struct SecretFormsTests {
    static let key = "sk-form-0123456789abcdefXYZ"

    private func scrubbed(_ body: String, learning secret: String = key) -> String {
        var redactor = Redactor()
        redactor.learn(secret)
        let interaction = Interaction(request: RecordedRequest(method: "GET", url: "https://x.example/"),
                                      response: RecordedResponse(status: 200, body: Data(body.utf8)))
        return String(decoding: redactor.redact(interaction).response.body, as: UTF8.self)
    }

    @Test(arguments: 0..<3)
    func base64AtEachAlignmentStandardAndURLSafe(_ prefixLength: Int) {
        let text = String(repeating: "p", count: prefixLength) + "key=\(Self.key);"
        let standard = Data(text.utf8).base64EncodedString()
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        for encoded in [standard, urlSafe] {
            let result = scrubbed(#"{"token":"\#(encoded)"}"#)
            #expect(result.contains(Redactor.placeholder), "\(encoded) not found")
            #expect(!Self.decodes(result, to: Self.key), "a base64 run of \(result) still decodes to the key")
        }
    }

    @Test func fullyPercentEncodedInEitherCase() {
        let upper = Self.key.utf8.map { String(format: "%%%02X", $0) }.joined()
        #expect(scrubbed("q=\(upper)") == "q=REDACTED")
        #expect(scrubbed("q=\(upper.lowercased())") == "q=REDACTED")
    }

    @Test func jsonEscapedCharacterByCharacterOrWithEscapedSlashes() {
        let escaped = Self.key.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
        #expect(scrubbed(#"{"k":"\#(escaped)"}"#) == #"{"k":"REDACTED"}"#)
        #expect(scrubbed(#"{"k":"\#(escaped.uppercased().replacingOccurrences(of: "\\U", with: "\\u"))"}"#) == #"{"k":"REDACTED"}"#)
        #expect(scrubbed(#"{"url":"https:\/\/x\/sk\/abcdef12345"}"#, learning: "sk/abcdef12345") == #"{"url":"https:\/\/x\/REDACTED"}"#)
    }

    @Test func theBase64CoreDependsOnlyOnTheSecret() {
        let secret = Array("abcdefgh12".utf8)
        for alignment in 0..<3 {
            let core = SecretForms.base64Core(secret, alignment: alignment)
            for filler in ["", "x", "xy", "\u{0}\u{ff}"] {
                let around = Data(Array(filler.utf8).suffix(alignment) + [UInt8](repeating: 0x41, count: max(0, alignment - filler.utf8.count)) + secret + Array("tail".utf8))
                #expect(around.base64EncodedString().contains(String(decoding: core, as: UTF8.self)), "alignment \(alignment), filler \(filler)")
            }
        }
    }

    /// Whether any run of base64 characters, read from any of its first four offsets, decodes to
    /// bytes holding `key`.
    static func decodes(_ text: String, to key: String) -> Bool {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
        var runs: [String] = [], current = ""
        for character in text {
            if alphabet.contains(character) { current.append(character) } else { runs.append(current); current = "" }
        }
        runs.append(current)
        for run in runs where run.count >= 8 {
            let normal = run.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            for offset in 0..<4 {
                let usable = (normal.count - offset) / 4 * 4
                guard usable > 0 else { continue }
                let slice = String(normal.dropFirst(offset).prefix(usable))
                if let decoded = Data(base64Encoded: slice), decoded.range(of: Data(key.utf8)) != nil { return true }
            }
        }
        return false
    }
}
