import Foundation
import Testing
import TapeDeck
import TapeDeckTestSupport
@testable import TapeDeckTools

@Suite struct SecretScannerTests {
    private func cassette(url: String = "https://api.example.com/v1/models", headers: HTTPHeaders = [:], body: String = "{}") -> Cassette {
        Cassette(name: "scan", interactions: [Interaction(
            request: RecordedRequest(method: "GET", url: url, headers: headers),
            response: RecordedResponse(status: 200, body: Data(body.utf8)))])
    }

    @Test(arguments: [
        ("sk-proj-abcdefghijklmnop1234567890", "OpenAI/DeepSeek key"),
        ("sk-ant-api03-abcdefghijklmnop123456", "Anthropic key"),
        ("AIzaSyA1234567890abcdefghijklmnopqrstu", "Google API key"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JWT"),
    ])
    func knownKeyShapesAreFoundInABodyWithAMaskedExcerpt(_ key: String, _ kind: String) {
        let findings = SecretScanner().scan(cassette(body: #"{"echo":"\#(key)"}"#))
        #expect(findings.map(\.kind) == [kind])
        #expect(findings.first?.place == "response.body")
        #expect(findings.first?.interaction == 1)
        #expect(findings.first?.excerpt.contains(key) == false)
        #expect(findings.first?.excerpt.hasPrefix(String(key.prefix(6))) == true)
    }

    @Test func aBearerTokenInAnUnusualHeaderIsFound() {
        let findings = SecretScanner().scan(cassette(headers: ["X-Forwarded-Auth": "Bearer abcdef0123456789xyz"]))
        #expect(findings.map(\.kind) == ["bearer token"])
        #expect(findings.first?.place == "request.header X-Forwarded-Auth")
    }

    @Test func aHighEntropyQueryValueIsFoundButHexDigestsAndPlaceholdersAreNot() {
        let leaked = SecretScanner().scan(cassette(url: "https://api.example.com/v1/models?sig=Zk9xQ2hB7uT1pL4wR8mN3vY6cE0sJ5dG"))
        #expect(leaked.map(\.place) == ["request.query sig"])
        #expect(leaked.first?.kind == "high-entropy value")
        let clean = SecretScanner().scan(cassette(url: "https://api.example.com/v1/models?page=2",
                                                  headers: ["ETag": "5d41402abc4b2a76b9719d911017c592", "x-echo": "Bearer REDACTED"]))
        #expect(clean.isEmpty)
    }

    @Test func aKeyInsideBase64OrACompressedBodyIsFound() {
        let key = "sk-hidden-abcdefghijklmnop123456"
        let document = Data(#"{"debug":{"sent":"\#(key)"}}"#.utf8)
        let base64 = SecretScanner().scan(cassette(body: #"{"blob":"\#(document.base64EncodedString())"}"#))
        #expect(base64.map(\.place) == ["response.body (base64)"])
        #expect(base64.map(\.kind) == ["OpenAI/DeepSeek key"])

        let gzipped = Cassette(name: "scan", interactions: [Interaction(
            request: RecordedRequest(method: "GET", url: "https://api.example.com/v1/models"),
            response: RecordedResponse(status: 200, body: TestCompression.deflate(document, .gzip)))])
        #expect(SecretScanner().scan(gzipped).map(\.place) == ["response.body (inflated)"])

        for wrapper in [TestCompression.Wrapper.zlib, .raw] {
            let inner = TestCompression.deflate(document, wrapper).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(SecretScanner().scan(cassette(body: "payload=\(inner)")).map(\.place) == ["response.body (base64, inflated)"], "\(wrapper)")
        }
    }

    @Test func aHexOrRandomValueUnderACredentialNameIsFoundButNotUnderOtherNames() {
        let hex = "0123456789abcdef0123456789abcdef"
        // 16 random characters: below the general 24-character bar, above the one for credential names.
        let named = SecretScanner().scan(cassette(url: "https://api.example.com/m?signature=Zk9xQ2hB7uT1pL4w",
                                                  headers: ["X-Subscription-Key": hex, "X-Team-Token": "Xq7Lp2Vz9Rk4Tw8N"]))
        #expect(named.map(\.place) == ["request.header X-Subscription-Key", "request.header X-Team-Token", "request.query signature"])
        #expect(named.map(\.kind) == ["hex value under a credential name", "random value under a credential name", "random value under a credential name"])
        let unnamed = SecretScanner().scan(cassette(headers: ["ETag": hex, "x-ratelimit-remaining-tokens": "149984", "x-request-id": "req_7f3a9c2b"]))
        #expect(unnamed.isEmpty, "\(unnamed)")
    }

    @Test func aBodyTheRecorderCouldNotDecodeIsReportedAsNeverScrubbed() {
        let cassette = Cassette(name: "scan", interactions: [Interaction(
            request: RecordedRequest(method: "GET", url: "https://api.example.com/v1/models"),
            response: RecordedResponse(status: 200, headers: ["Content-Encoding": "br"], body: Data([0x0b, 0x02, 0x80]), undecodedEncoding: "br"))])
        let findings = SecretScanner().scan(cassette)
        #expect(findings.map(\.description) == ["interaction #1: response.body: body stored undecoded (br), never scrubbed: 3 bytes"])
    }

    @Test func theShippedCassettesAreClean() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cassettes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tape") }
        #expect(files.count == 5)
        for file in files {
            #expect(SecretScanner().scan(try Cassette(contentsOf: folder.appendingPathComponent(file))).isEmpty, "\(file)")
        }
    }
}
