import Foundation
import TapeDeck
import TapeDeckTestSupport
import Testing

/// `tapedeck stub`: answers made from a few values, appended to a cassette, parsed by the
/// providers' official Python SDKs through `tapedeck replay`.
@Suite struct StubCommandTests {
    @Test func eachKindAppendsAStubMatchedOnMethodAndPathThatReplaysOverHTTP() async throws {
        let directory = try TemporaryDirectory()
        for arguments in [["openai-chat", "--text", "Paris."], ["error", "--provider", "gemini", "--status", "429", "--retry-after", "3",
                                                               "--url", "https://generativelanguage.googleapis.com/v1beta/models/x:generateContent", "--times", "1"]] {
            let result = try await ToolProcess.run(["stub"] + arguments + ["--cassette", "chat.tape"], in: directory.url)
            #expect(result.status == 0, "\(result.errors)")
        }
        let cassette = try Cassette(contentsOf: directory.file("chat.tape"))
        #expect(cassette.interactions.map(\.stub) == [StubRule(parts: [.method, .path]), StubRule(parts: [.method, .path], times: 1)])
        let replay = try ToolProcess(["replay", "--cassette", "chat.tape", "--port", "0"], in: directory.url)
        let address = try await replay.address()
        let chat = try await sh("curl -sS -X POST -d '{\"model\":\"m\"}' \(address)/v1/chat/completions")
        #expect(chat.contains(#""content":"Paris.""#), "\(chat)")
        let limited = try await sh("curl -sS -i -X POST \(address)/v1beta/models/x:generateContent")
        #expect(limited.hasPrefix("HTTP/1.1 429"), "\(limited)")
        #expect(limited.contains("Retry-After: 3"))
        #expect(limited.contains(#""status":"RESOURCE_EXHAUSTED""#))
        let after = try await sh("curl -sS -o /dev/null -w '%{http_code}' -X POST \(address)/v1beta/models/x:generateContent")
        #expect(after == "404", "the 429 answered once; nothing else matches")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
        #expect(replay.standardOutput.contains("0 interactions never requested"), "stubs are never unplayed: \(replay.standardOutput)")
    }

    @Test(arguments: [
        (["openai-models", "--stream"], "--stream goes with a chat kind, not openai-models"),
        (["error", "--status", "200"], "--status: an error stub's status must be from 400 to 599, not 200"),
        (["error"], "--status is required for an error stub"),
        (["error", "--status", "401", "--retry-after", "2"], "--retry-after: Retry-After goes with a 429 or 503 answer, not 401"),
        (["openai-chat", "--tool", "lookup", "--arguments", "[1]"], "--arguments: the tool call's arguments must be a JSON object"),
        (["openai-chat", "--ending", "tool-call"], "--ending tool-call needs --tool NAME"),
        (["anthropic-messages", "--status", "500"], "--status goes with the error kind, not anthropic-messages"),
        (["gemini-generate", "--model", "a", "--model", "b"], "--model names the one model"),
        (["error", "--provider", "mistral", "--status", "500"], "--provider mistral is not one of openai, anthropic, gemini"),
        (["openai-chat", "--times", "0"], "--times 0 must be 1 or more"),
        (["openai-chat", "--url", "api.openai.com/v1/chat"], "is not an absolute http or https URL"),
        (["openai-chat", "--match", "headers"], "--match headers is not one of"),
    ])
    func optionsThatMakeNoValidAnswerAreAUsageErrorNamingTheOption(arguments: [String], message: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await ToolProcess.run(["stub"] + arguments + ["--cassette", "bad.tape"], in: directory.url)
        #expect(result.status == 2)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("bad.tape").path), "nothing written")
    }

    @Test func theHelpListsEveryKind() async throws {
        let directory = try TemporaryDirectory()
        let result = try await ToolProcess.run(["stub", "--help"], in: directory.url)
        for kind in ["openai-chat", "anthropic-messages", "gemini-generate", "openai-models", "anthropic-models", "gemini-models", "error"] {
            #expect(result.output.contains(kind), "\(kind)")
        }
    }
}
