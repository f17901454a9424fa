import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// `Scripts/pre-commit` in a real git repository: a staged cassette with a key is refused.
@Suite struct PreCommitHookTests {
    private static let hook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/pre-commit").path

    @Test func aStagedCassetteWithAKeyIsRefusedAndACleanOneIsNot() async throws {
        let directory = try TemporaryDirectory()
        let repo = directory.url.path
        _ = try await sh("cd '\(repo)' && git init -q . && git config user.email t@example.com && git config user.name t")
        let clean = Cassette(name: "clean", interactions: [Interaction(request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/models"),
                                                                       response: RecordedResponse(status: 200, body: Data("{}".utf8)))])
        try clean.write(to: directory.file("clean.tape"))
        _ = try await sh("cd '\(repo)' && git add clean.tape && TAPEDECK='\(ToolProcess.binary)' '\(Self.hook)'")

        var leaky = clean
        leaky.interactions[0].response.body = Data(#"{"error":"Incorrect API key provided: sk-live-abcdefghijklmnop123456"}"#.utf8)
        try leaky.write(to: directory.file("leaky.tape"))
        _ = try await sh("cd '\(repo)' && git add leaky.tape")
        await #expect(throws: ShellFailure.self) {
            _ = try await sh("cd '\(repo)' && TAPEDECK='\(ToolProcess.binary)' '\(Self.hook)' 2>/dev/null")
        }
    }
}
