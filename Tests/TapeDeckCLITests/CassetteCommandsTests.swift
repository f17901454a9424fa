import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// The inspection and maintenance commands, through the real binary, good input and bad.
@Suite struct CassetteCommandsTests {
    /// A small cassette on disk, written by the core, with one leak a rule did not cover.
    private func sample(in directory: TemporaryDirectory, name: String = "sample.tape", leak: Bool = false) throws -> String {
        var headers: TapeDeck.HTTPHeaders = ["Accept": "application/json"]
        if leak { headers.append(name: "X-Team-Token", value: "team-token-leaked-99887766") }
        let cassette = Cassette(name: "sample", interactions: [
            Interaction(request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/models", headers: headers, redacted: [.header("authorization")]),
                        response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"],
                                                   body: Data(#"{"object":"list","data":[{"id":"deepseek-chat"}],"seen":"\#(leak ? "team-token-leaked-99887766" : "nothing")"}"#.utf8))),
            Interaction(request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/v1/models", redacted: [.header("authorization")]),
                        response: RecordedResponse(status: 401, headers: ["Content-Type": "application/json"], body: Data(#"{"error":{"message":"no"}}"#.utf8))),
        ])
        try cassette.write(to: directory.file(name))
        return name
    }

    private func run(_ arguments: [String], in directory: TemporaryDirectory) async throws -> (status: Int32, output: String, errors: String) {
        try await ToolProcess.run(arguments, in: directory.url)
    }

    @Test func showListsOneLinePerInteractionAndOneInFull() async throws {
        let directory = try TemporaryDirectory()
        let file = try sample(in: directory)
        let list = try await run(["show", file], in: directory)
        #expect(list.status == 0)
        #expect(list.output.contains("#1 GET https://api.deepseek.com/models -> 200, 66 bytes, removed: header:authorization"))
        #expect(list.output.contains("#2 GET https://api.deepseek.com/v1/models -> 401"))
        let one = try await run(["show", file, "--index", "1"], in: directory)
        #expect(one.output.contains("> Accept: application/json"))
        #expect(one.output.contains("\"object\" : \"list\""), "JSON bodies are pretty-printed")
        let json = try await run(["show", file, "--json"], in: directory)
        #expect(json.output.split(separator: "\n").count == 3)
        let out = try await run(["show", file, "--index", "9"], in: directory)
        #expect(out.status == 1)
        #expect(out.errors.contains("there is no interaction #9 (the cassette has 2)"))
    }

    @Test func verifyPassesACleanCassetteAndFailsALeakWithPlaceAndMaskedExcerpt() async throws {
        let directory = try TemporaryDirectory()
        let clean = try sample(in: directory)
        let passed = try await run(["verify", clean], in: directory)
        #expect(passed.status == 0)
        #expect(passed.output.contains("sample.tape: ok (2 interactions, no secrets found)"))

        let leaky = Cassette(name: "leaky", interactions: [Interaction(
            request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/models?api-token=Zk9xQ2hB7uT1pL4wR8mN3vY6cE0sJ5dG"),
            response: RecordedResponse(status: 401, body: Data(#"{"error":"Incorrect API key provided: sk-live-abcdefghijklmnop123456"}"#.utf8)))])
        try leaky.write(to: directory.file("leaky.tape"))
        let failed = try await run(["verify", clean, "leaky.tape"], in: directory)
        #expect(failed.status == 1)
        #expect(failed.errors.contains("leaky.tape: interaction #1: response.body: OpenAI/DeepSeek key: sk-liv…3456 (30 chars)"))
        #expect(failed.errors.contains("leaky.tape: interaction #1: request.query api-token: high-entropy value"))
        #expect(!failed.errors.contains("sk-live-abcdefghijklmnop123456"))
    }

    @Test func redactRepairsALeakedCassetteInPlace() async throws {
        let directory = try TemporaryDirectory()
        let file = try sample(in: directory, leak: true)
        let result = try await run(["redact", file, "--header", "x-team-token"], in: directory)
        #expect(result.status == 0)
        #expect(result.output.contains("1 of 2 interactions changed"))
        let repaired = try Cassette(contentsOf: directory.file(file))
        #expect(repaired.interactions[0].request.redacted == [.header("authorization"), .header("x-team-token")])
        let plain = try await sh("gzip -dc '\(directory.file(file).path)'")
        #expect(!plain.contains("team-token-leaked"))
        #expect(!FileManager.default.fileExists(atPath: directory.file(file).path + ".tmp-\(getpid())"))
    }

    @Test func diffNamesAddedRemovedAndChangedInteractions() async throws {
        let directory = try TemporaryDirectory()
        let old = try sample(in: directory)
        var changed = try Cassette(contentsOf: directory.file(old))
        changed.interactions[1].response.status = 200
        changed.interactions.append(Interaction(request: RecordedRequest(method: "GET", url: "https://api.deepseek.com/user/balance"), response: RecordedResponse(status: 200)))
        try changed.write(to: directory.file("new.tape"))
        let result = try await run(["diff", old, "new.tape"], in: directory)
        #expect(result.status == 1)
        #expect(result.output.contains("~ changed #2 -> #2 GET https://api.deepseek.com/v1/models: status 401 -> 200"))
        #expect(result.output.contains("+ added #3 GET https://api.deepseek.com/user/balance"))
        #expect(try await run(["diff", old, old], in: directory).status == 0)
    }

    @Test func mergeKeepsIdenticalInteractionsOnceAndCompactMakesOneMember() async throws {
        let directory = try TemporaryDirectory()
        let file = try sample(in: directory)
        let merged = try await run(["merge", "all.tape", file, file], in: directory)
        #expect(merged.status == 0)
        #expect(try Cassette(contentsOf: directory.file("all.tape")).interactions.count == 2)

        let appender = try CassetteAppender(appendingTo: directory.file(file))
        try appender.append(Interaction(request: RecordedRequest(method: "GET", url: "https://x.example/"), response: RecordedResponse(status: 204)))
        try appender.close()
        let compacted = try await run(["compact", file], in: directory)
        #expect(compacted.status == 0)
        let bytes = try Data(contentsOf: directory.file(file))
        #expect(bytes == (try Cassette(contentsOf: directory.file(file))).fileData(), "one member, as a fresh write")
    }

    @Test func harRoundTripsThroughTheCommands() async throws {
        let directory = try TemporaryDirectory()
        let file = try sample(in: directory)
        #expect(try await run(["export-har", file, "--output", "sample.har"], in: directory).status == 0)
        let imported = try await run(["import-har", "sample.har", "--cassette", "back.tape"], in: directory)
        #expect(imported.status == 0)
        #expect(try Cassette(contentsOf: directory.file("back.tape")).interactions == (try Cassette(contentsOf: directory.file(file))).interactions)
        let again = try await run(["import-har", "sample.har", "--cassette", "back.tape"], in: directory)
        #expect(again.status == 1)
        #expect(again.errors.contains("back.tape already exists"))
    }

    @Test func aHARImportRemovesCredentialsFromABrowserCapture() async throws {
        let directory = try TemporaryDirectory()
        let har = #"{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyLeakedBrowserKey0123456789abcd","headers":[{"name":":authority","value":"generativelanguage.googleapis.com"},{"name":"cookie","value":"SID=browser-session-cookie-123"}]},"response":{"status":200,"headers":[],"content":{"text":"{\"models\":[]}"}}}]}}"#
        try Data(har.utf8).write(to: directory.file("browser.har"))
        let result = try await run(["import-har", "browser.har", "--cassette", "browser.tape"], in: directory)
        #expect(result.status == 0)
        let cassette = try Cassette(contentsOf: directory.file("browser.tape"))
        #expect(cassette.interactions[0].request.url == "https://generativelanguage.googleapis.com/v1beta/models")
        #expect(cassette.interactions[0].request.redacted == [.header("cookie"), .query("key")])
        #expect(cassette.interactions[0].request.headers.isEmpty)
    }

    // MARK: Bad input: one line naming the file and the problem; 1 for a failed check, 2 for usage.

    @Test(arguments: ["show", "verify", "redact", "compact", "export-har"])
    func everyCommandNamesAMissingFile(_ command: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await run([command, "absent.tape"], in: directory)
        #expect(result.status == 1)
        #expect(result.errors.contains("absent.tape"))
        #expect(result.errors.split(separator: "\n").count == 1)
    }

    @Test func notGzipTruncatedAndNewerVersionsAreEachNamed() async throws {
        let directory = try TemporaryDirectory()
        try Data("plain text".utf8).write(to: directory.file("plain.tape"))
        let whole = try Data(contentsOf: directory.file(try sample(in: directory)))
        try whole.prefix(whole.count / 2).write(to: directory.file("cut.tape"))
        try Cassette(name: "x").fileData().write(to: directory.file("x.tape"))
        let future = #"{"format":"tapedeck-cassette","version":9,"name":"future"}"# + "\n"
        try Data(future.utf8).write(to: directory.file("future.jsonl"))
        _ = try await sh("cd '\(directory.url.path)' && gzip -n -c future.jsonl > future.tape")

        let plain = try await run(["verify", "plain.tape"], in: directory)
        #expect(plain.status == 1)
        #expect(plain.errors.contains("plain.tape"))
        #expect(plain.errors.contains("not a gzip file"))
        let cut = try await run(["verify", "cut.tape"], in: directory)
        #expect(cut.status == 1)
        #expect(cut.errors.contains("cut short"))
        let newer = try await run(["show", "future.tape"], in: directory)
        #expect(newer.status == 1)
        #expect(newer.errors.contains("future.tape:line 1: format version 9 is not supported"))
    }

    @Test func aHARThatIsNotHARIsRefusedAndNothingIsWritten() async throws {
        let directory = try TemporaryDirectory()
        try Data(#"{"entries":[]}"#.utf8).write(to: directory.file("bad.har"))
        let result = try await run(["import-har", "bad.har", "--cassette", "out.tape"], in: directory)
        #expect(result.status == 1)
        #expect(result.errors.contains("bad.har: not a HAR file: no log.entries array"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("out.tape").path))
    }

    @Test func usageErrorsExitWith2() async throws {
        let directory = try TemporaryDirectory()
        #expect(try await run(["verify"], in: directory).status == 2)
        #expect(try await run(["show", "a.tape", "--index", "x"], in: directory).status == 2)
        #expect(try await run(["record", "--upstream", "https://a", "--cassette", "a.tape", "--append", "--overwrite"], in: directory).status == 2)
    }
}
