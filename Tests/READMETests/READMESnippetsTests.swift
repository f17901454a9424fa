import Foundation
import TapeDeck
import Testing

/// Every ```swift block of the README marked `<!-- snippet: NAME -->` is, verbatim, the block
/// of the same name in READMESnippets.swift, which the build compiles.
@Suite struct READMESnippetsTests {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    private static func snippets(in text: String, start: String, end: String) -> [String: String] {
        var found: [String: String] = [:]
        var rest = Substring(text)
        while let marker = rest.range(of: start) {
            let nameEnd = rest[marker.upperBound...].firstIndex(where: { $0 == " " || $0 == "\n" })!
            let name = String(rest[marker.upperBound..<nameEnd])
            var body = rest[nameEnd...].drop { $0 != "\n" }.dropFirst()
            if start.hasPrefix("<!--") { body = body.drop { $0 != "\n" }.dropFirst() }  // the ```swift line
            guard let close = body.range(of: end) else { break }
            found[name] = String(body[..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
            rest = body[close.upperBound...]
        }
        return found
    }

    @Test func theREADMEsSwiftSnippetsAreTheCompiledOnes() throws {
        let readme = try String(contentsOf: Self.folder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: Self.folder.appendingPathComponent("READMESnippets.swift"), encoding: .utf8)
        let documented = Self.snippets(in: readme, start: "<!-- snippet: ", end: "\n```")
        let compiled = Self.snippets(in: source, start: "// snippet: ", end: "\n// end")
        #expect(Set(documented.keys) == ["xctest", "swift-testing", "llm-tests", "suites", "server", "core"])
        for (name, text) in documented {
            #expect(compiled[name] == text, "README snippet '\(name)' differs from Tests/READMETests/READMESnippets.swift")
        }
    }

    @Test func theCoreSnippetRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let interaction = Interaction(
            request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/models", headers: ["Authorization": "Bearer sk-recorded-key-1"]),
            response: RecordedResponse(status: 200, body: Data("{}".utf8)))
        let file = folder.appendingPathComponent("deepseek-models.tape")
        try recordAndReplay(interaction, into: file)
        // What the snippet left on disk: the one interaction, its key removed, the file whole.
        let cassette = try Cassette(contentsOf: file)
        #expect(cassette.name == "deepseek-models")
        #expect(cassette.warnings.isEmpty)
        #expect(cassette.interactions.count == 1)
        let request = try #require(cassette.interactions.first?.request)
        #expect(request.redacted == [.header("authorization")], "the snippet redacts before appending")
        #expect(request.headers["Authorization"]?.contains("sk-recorded-key-1") != true)
    }
}
