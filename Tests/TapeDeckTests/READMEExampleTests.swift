import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// The README's worked example is a contract: it must load, and writing what it holds must
/// give back the same lines.
@Suite struct READMEExampleTests {
    @Test func theWorkedExampleInTheREADMELoadsAndRoundTrips() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- example-cassette -->\n```jsonl\n"))
        let end = try #require(text.range(of: "\n```", range: marker.upperBound..<text.endIndex))
        let lines = String(text[marker.upperBound..<end.lowerBound]) + "\n"

        let directory = try TemporaryDirectory()
        let source = directory.file("example.jsonl")
        try Data(lines.utf8).write(to: source)
        try shell("gzip -n -c '\(source.path)' > '\(directory.file("example.tape").path)'")
        let cassette = try Cassette(contentsOf: directory.file("example.tape"))
        #expect(cassette.interactions.count == 2)
        #expect(cassette.interactions[1].response.chunks?.count == 2)

        try cassette.write(to: directory.file("rewritten.tape"))
        let rewritten = try shell("gzip -dc '\(directory.file("rewritten.tape").path)'")
        #expect(String(decoding: rewritten, as: UTF8.self) == lines)
    }
}
