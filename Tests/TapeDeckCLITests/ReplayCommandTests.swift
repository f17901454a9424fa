import Foundation
import TapeDeckTestSupport
import Testing

/// `tapedeck replay --fault`, driven by curl.
@Suite struct ReplayCommandTests {
    static let deepseek = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cassettes/deepseek-models.tape").path

    @Test func aFaultThatDoesNotParseIsAUsageErrorNamingThePart() async throws {
        let directory = try TemporaryDirectory()
        let result = try await ToolProcess.run(["replay", "--cassette", Self.deepseek, "--port", "0", "--fault", "GET /models status=abc"],
                                               in: directory.url)
        #expect(result.status == 2)
        #expect(result.errors.contains("--fault: fault 'GET /models status=abc': status 'abc' is not a number"), "\(result.errors)")
        #expect(!result.output.contains("replaying"), "refused before listening")
    }

    @Test func faultsAnswerA429ThenTheRecordingAndCutAStreamShort() async throws {
        let directory = try TemporaryDirectory()
        let replay = try ToolProcess(["replay", "--cassette", Self.deepseek, "--port", "0",
                                      "--fault", "GET /models status=429 header=Retry-After:1 times=1",
                                      "--fault", "GET /v1/models drop-after=10"], in: directory.url)
        let address = try await replay.address()
        let curl = "curl -sS -H 'Authorization: Bearer any-key'"
        let limited = try await sh("\(curl) -i \(address)/models")
        #expect(limited.hasPrefix("HTTP/1.1 429"))
        #expect(limited.contains("Retry-After: 1"))
        #expect(limited.contains(#""type":"tapedeck_injected_fault""#))
        let recorded = try await sh("\(curl) \(address)/models")
        #expect(recorded.contains("deepseek-reasoner"))
        // curl exits 18: "transfer closed with outstanding read data remaining".
        let cut = try await sh("\(curl) -o /dev/null -w '%{size_download}' \(address)/v1/models; echo \" exit=$?\"")
        #expect(cut.hasPrefix("10"), "\(cut)")
        #expect(cut.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("exit=18"), "\(cut)")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
        #expect(replay.standardOutput.contains("1 interaction never requested"), "the cut answer stays unplayed: \(replay.standardOutput)")
    }

    @Test func aNoContentFaultSendsNoBodySoTheNextAnswerOnTheConnectionIsIntact() async throws {
        let directory = try TemporaryDirectory()
        let replay = try ToolProcess(["replay", "--cassette", Self.deepseek, "--port", "0",
                                      "--fault", "GET /models status=204 times=1"], in: directory.url)
        let address = try await replay.address()
        // One curl, two requests on one kept-alive connection: a body after the 204 would be read
        // as the start of the second answer.
        let both = try await sh("curl -sS -H 'Authorization: Bearer any-key' -w '|%{http_code}|%{num_connects}\\n' \(address)/models \(address)/models")
        let lines = both.split(separator: "\n")
        #expect(lines.count == 2, "\(both)")
        #expect(lines.first == "|204|1", "no body, one connection: \(both)")
        #expect(lines.last?.hasSuffix("|200|0") == true, "the second answer came whole on the same connection: \(both)")
        #expect(lines.last?.contains("deepseek-reasoner") == true, "\(both)")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
    }

    @Test func aDropPastTheEndOfTheBodyStillLeavesTheClientAnAnswerCutShort() async throws {
        let directory = try TemporaryDirectory()
        let replay = try ToolProcess(["replay", "--cassette", Self.deepseek, "--port", "0",
                                      "--fault", "GET /models drop-after=1000000"], in: directory.url)
        let address = try await replay.address()
        let cut = try await sh("curl -sS -H 'Authorization: Bearer any-key' -o /dev/null -w '%{size_download}' \(address)/models 2>/dev/null; echo \" exit=$?\"")
        #expect(cut.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("exit=18"), "curl saw the answer cut short: \(cut)")
        let size = Int(cut.split(separator: " ").first ?? "") ?? -1
        #expect(size > 0, "the whole recorded body was sent before the drop: \(cut)")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
    }

    @Test func anIgnoredBodyFieldLetsAVaryingRequestMatchAndABadPathIsAUsageError() async throws {
        let directory = try TemporaryDirectory()
        let bad = try await ToolProcess.run(["replay", "--cassette", Self.deepseek, "--port", "0", "--ignore-body-field", "messages[x]"], in: directory.url)
        #expect(bad.status == 2)
        #expect(bad.errors.contains("--ignore-body-field messages[x] is not a path"), "\(bad.errors)")
        let replay = try ToolProcess(["replay", "--cassette", Self.deepseek, "--port", "0", "--ignore-body-field", "nothing_like_this"], in: directory.url)
        let address = try await replay.address()
        try await replay.waitFor("the ignored body field 'nothing_like_this' names no field of any recorded JSON body; a typo?", inErrors: true)
        _ = try await sh("curl -sS -o /dev/null \(address)/models")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
    }
}
