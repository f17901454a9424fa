import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// `tapedeck drift` and `tapedeck status` end to end: the shipped cassettes against the example
/// upstream as recorded, and moved on.
@Suite(.serialized) struct DriftCommandTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cassettes")
    static let key = "sk-drift-key-0123456789abcdef"

    private func upstream(movedOn: Bool, in directory: TemporaryDirectory) async throws -> (ToolProcess, String) {
        let tool = try ToolProcess(["example-upstream", "--port", "0"] + (movedOn ? ["--moved-on"] : []), in: directory.url)
        return (tool, try await tool.address())
    }

    private func copy(_ name: String, to directory: TemporaryDirectory) throws -> String {
        try FileManager.default.copyItem(at: Self.shipped.appendingPathComponent(name), to: directory.file(name))
        return name
    }

    @Test func anUnchangedListIsExit0() async throws {
        let directory = try TemporaryDirectory()
        let (example, address) = try await upstream(movedOn: false, in: directory)
        defer { example.signal(SIGTERM) }
        let file = try copy("deepseek-models.tape", to: directory)
        let result = try await ToolProcess.run(["drift", file, "--upstream", "\(address)/deepseek", "--header", "Authorization: Bearer \(Self.key)"], in: directory.url)
        #expect(result.status == 0, "\(result.output) \(result.errors)")
        #expect(result.output.contains("#1 GET https://api.deepseek.com/models: unchanged"))
        #expect(result.output.hasSuffix("0 of 2 interactions drifted\n"))
    }

    @Test func aMovedOnListIsExit1NamingTheModelsAddedAndRemoved() async throws {
        let directory = try TemporaryDirectory()
        let (example, address) = try await upstream(movedOn: true, in: directory)
        defer { example.signal(SIGTERM) }
        let file = try copy("gateway-models.tape", to: directory)
        let before = try Data(contentsOf: directory.file(file))
        let result = try await ToolProcess.run(["drift", file, "--upstream", "\(address)/gateway", "--header", "Authorization: Bearer \(Self.key)",
                                                "--header", "x-goog-api-key: \(Self.key)", "--header", "x-api-key: \(Self.key)"], in: directory.url)
        #expect(result.status == 1, "\(result.output) \(result.errors)")
        #expect(result.output.components(separatedBy: "models added: gpt-5").count == 4, "all three formats: \(result.output)")
        #expect(result.output.components(separatedBy: "models removed: gpt-4").count == 4)
        #expect(result.output.hasSuffix("3 of 3 interactions drifted\n"))
        #expect(try Data(contentsOf: directory.file(file)) == before, "nothing written without --update")
    }

    @Test func jsonOutputParsesBack() async throws {
        let directory = try TemporaryDirectory()
        let (example, address) = try await upstream(movedOn: true, in: directory)
        defer { example.signal(SIGTERM) }
        let file = try copy("anthropic-models.tape", to: directory)
        let result = try await ToolProcess.run(["drift", file, "--upstream", "\(address)/anthropic", "--header", "x-api-key: \(Self.key)", "--json"], in: directory.url)
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        // Page 1 (limit=2) holds the two newest models, as before; page 2 lost one and gained one.
        #expect(document["drifted"] as? Int == 1)
        let cassette = try #require((document["cassettes"] as? [[String: Any]])?.first)
        let interactions = try #require(cassette["interactions"] as? [[String: Any]])
        #expect(interactions.map { $0["verdict"] as? String } == ["unchanged", "drifted"])
        #expect(interactions[1]["modelsAdded"] as? [String] == ["claude-opus-5"])
        #expect(interactions[1]["modelsRemoved"] as? [String] == ["claude-3-5-haiku-20241022"])
    }

    @Test func updateReRecordsTheDriftedInteractionsWithoutTheCredential() async throws {
        let directory = try TemporaryDirectory()
        let (example, address) = try await upstream(movedOn: true, in: directory)
        defer { example.signal(SIGTERM) }
        let file = try copy("deepseek-models.tape", to: directory)
        let arguments = ["drift", file, "--upstream", "\(address)/deepseek", "--header", "Authorization: Bearer \(Self.key)"]
        let updated = try await ToolProcess.run(arguments + ["--update"], in: directory.url)
        #expect(updated.status == 1, "it reports the drift it fixed")
        #expect(updated.output.contains("re-recorded the drifted interactions into \(file)"))
        let cassette = try Cassette(contentsOf: directory.file(file))
        #expect(cassette.interactions.map(\.request.url) == ["https://api.deepseek.com/models", "https://api.deepseek.com/v1/models"], "requests kept as recorded")
        #expect(String(decoding: cassette.interactions[0].response.body, as: UTF8.self).contains("deepseek-v4"))
        let plain = try await sh("gzip -dc '\(directory.file(file).path)'")
        #expect(!plain.contains(Self.key))
        let again = try await ToolProcess.run(arguments, in: directory.url)
        #expect(again.status == 0, "nothing drifts after the update: \(again.output) \(again.errors)")
    }

    @Test func anUpstreamThatIsDownOrRefusesTheKeyIsExit2AndNothingIsWritten() async throws {
        let directory = try TemporaryDirectory()
        let (example, address) = try await upstream(movedOn: true, in: directory)
        defer { example.signal(SIGTERM) }
        let file = try copy("deepseek-models.tape", to: directory)
        let before = try Data(contentsOf: directory.file(file))
        let down = try await ToolProcess.run(["drift", file, "--upstream", "http://127.0.0.1:9/deepseek", "--update"], in: directory.url)
        #expect(down.status == 2)
        #expect(down.errors.contains("cannot reach upstream http://127.0.0.1:9/deepseek"))
        let refused = try await ToolProcess.run(["drift", file, "--upstream", "\(address)/deepseek", "--header", "Authorization: Bearer sk-invalid-0123456789", "--update"], in: directory.url)
        #expect(refused.status == 2)
        #expect(refused.errors.contains("the upstream answered 401 (recorded: 200)"))
        #expect(!refused.errors.contains("sk-invalid-0123456789"), "the key is not printed")
        #expect(try Data(contentsOf: directory.file(file)) == before)
        let usage = try await ToolProcess.run(["drift", file, "--header", "no colon"], in: directory.url)
        #expect(usage.status == 2)
    }

    @Test func answersThatAreNotJSONAreNothingComparable() async throws {
        let directory = try TemporaryDirectory()
        let (example, address) = try await upstream(movedOn: false, in: directory)
        defer { example.signal(SIGTERM) }
        let index = try await sh("curl -sS \(address)/")
        let cassette = Cassette(name: "index", interactions: [Interaction(
            request: RecordedRequest(method: "GET", url: "https://example.invalid/"),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Data((index + "(recorded)").utf8)))])
        try cassette.write(to: directory.file("index.tape"))
        let result = try await ToolProcess.run(["drift", "index.tape", "--upstream", address], in: directory.url)
        #expect(result.status == 0)
        #expect(result.output.contains("#1 GET https://example.invalid/: nothing comparable"))
    }

    @Test func statusGivesTheAgeOfTheLastCommitOrTheFileAndFailsPastMaxAge() async throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.file("cassettes"), withIntermediateDirectories: true)
        for name in ["deepseek-models.tape", "gateway-models.tape"] {
            try FileManager.default.copyItem(at: Self.shipped.appendingPathComponent(name), to: directory.file("cassettes/\(name)"))
        }
        // One committed 100 days ago; one never committed, modified 10 days ago.
        let old = "\(Int(Date().timeIntervalSince1970) - 100 * 86_400) +0000"
        _ = try await sh("""
            cd '\(directory.url.path)' && git init -q && git add cassettes/deepseek-models.tape && \
            GIT_AUTHOR_DATE='\(old)' GIT_COMMITTER_DATE='\(old)' git -c user.name=t -c user.email=t@example.invalid commit -qm old
            """)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-10 * 86_400)], ofItemAtPath: directory.file("cassettes/gateway-models.tape").path)

        let all = try await ToolProcess.run(["status", "cassettes"], in: directory.url)
        #expect(all.status == 0)
        #expect(all.output.contains("cassettes/deepseek-models.tape: 2 interactions, hosts api.deepseek.com, credentials header:authorization, 343 bytes, 100 days old (last commit)"), "\(all.output)")
        #expect(all.output.contains("cassettes/gateway-models.tape: 3 interactions, hosts gateway.example.com"))
        #expect(all.output.contains("10 days old (file modified)"))
        let strict = try await ToolProcess.run(["status", "cassettes", "--max-age", "30"], in: directory.url)
        #expect(strict.status == 1)
        #expect(strict.errors == "tapedeck: cassettes/deepseek-models.tape is older than 30 days; re-record it (see cassettes/README.md or Scripts/)\n")
        let lenient = try await ToolProcess.run(["status", "cassettes", "--max-age", "365", "--json"], in: directory.url)
        #expect(lenient.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(lenient.output.utf8)) as? [String: Any])
        #expect((document["cassettes"] as? [[String: Any]])?.map { $0["ageDays"] as? Int } == [100, 10])
    }
}
