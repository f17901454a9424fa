import Foundation
import Testing
import TapeDeck
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
