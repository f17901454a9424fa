import Foundation
import TapeDeckTestSupport
import Testing

/// Every stub shape, parsed by the provider's official Python SDK (`openai`, `anthropic`,
/// `google-genai`) talking to `tapedeck replay` over HTTP: the SDK's own models accept them,
/// streams included, and its error classes see the status and the `Retry-After`.
@Suite struct StubSDKTests {
    /// Appends each stub to `stubs.tape` in `directory`, serves it, runs `script` with `BASE`
    /// set to the server's address, and returns its output lines.
    private func run(_ stubs: [[String]], script: String, in directory: TemporaryDirectory) async throws -> [String] {
        for stub in stubs {
            let result = try await ToolProcess.run(["stub"] + stub + ["--cassette", "stubs.tape"], in: directory.url)
            try #require(result.status == 0, "\(stub): \(result.errors)")
        }
        let replay = try ToolProcess(["replay", "--cassette", "stubs.tape", "--port", "0"], in: directory.url)
        let address = try await replay.address()
        try Data(script.utf8).write(to: directory.file("client.py"))
        let output = try await sh("cd '\(directory.url.path)' && BASE='\(address)' python3 client.py 2>&1")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
        return output.split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: PythonModule.isInstalled("openai"),
                   "needs the openai Python SDK, which is optional: install it with `python3 -m pip install openai` (.ci/run does)"))
    func theOpenAISDKParsesEveryOpenAIStub() async throws {
        let lines = try await run([
            ["openai-chat", "--text", "Paris is the capital.", "--model", "deepseek-chat"],
            ["openai-chat", "--url", "https://api.openai.com/stream/v1/chat/completions", "--stream", "--text", "One two three."],
            ["openai-chat", "--url", "https://api.openai.com/tool/v1/chat/completions", "--tool", "get_weather", "--arguments", #"{"city":"Paris"}"#],
            ["openai-chat", "--url", "https://api.openai.com/tool-stream/v1/chat/completions", "--stream", "--tool", "get_weather", "--arguments", #"{"city":"Oslo"}"#],
            ["openai-chat", "--url", "https://api.openai.com/cut/v1/chat/completions", "--ending", "length"],
            ["openai-chat", "--url", "https://api.openai.com/refuse/v1/chat/completions", "--ending", "refusal", "--text", "I can't help with that."],
            ["openai-models", "--model", "deepseek-chat", "--model", "deepseek-reasoner", "--owned-by", "deepseek"],
            ["error", "--status", "429", "--retry-after", "7", "--url", "https://api.openai.com/limited/v1/chat/completions"],
            ["error", "--status", "401", "--url", "https://api.openai.com/denied/v1/chat/completions"],
        ], script: """
            import os, openai
            from openai import OpenAI
            def client(prefix=""):
                return OpenAI(base_url=os.environ["BASE"] + prefix + "/v1", api_key="sk-test", max_retries=0)
            ask = dict(model="m", messages=[{"role": "user", "content": "hi"}])
            r = client().chat.completions.create(**ask)
            print("plain", r.model, r.choices[0].message.content, r.choices[0].finish_reason, r.usage.total_tokens)
            chunks = list(client("/stream").chat.completions.create(stream=True, **ask))
            print("stream", "".join(c.choices[0].delta.content or "" for c in chunks), chunks[-1].choices[0].finish_reason)
            call = client("/tool").chat.completions.create(**ask).choices[0]
            print("tool", call.finish_reason, call.message.tool_calls[0].function.name, call.message.tool_calls[0].function.arguments)
            pieces = list(client("/tool-stream").chat.completions.create(stream=True, **ask))
            print("tool-stream", "".join(t.function.arguments or "" for c in pieces if c.choices for t in (c.choices[0].delta.tool_calls or [])))
            print("length", client("/cut").chat.completions.create(**ask).choices[0].finish_reason)
            print("refusal", client("/refuse").chat.completions.create(**ask).choices[0].message.refusal)
            print("models", ",".join(m.id + ":" + m.owned_by for m in client().models.list()))
            try:
                client("/limited").chat.completions.create(**ask)
            except openai.RateLimitError as e:
                print("429", e.status_code, e.response.headers["retry-after"], e.body["code"])
            try:
                client("/denied").chat.completions.create(**ask)
            except openai.AuthenticationError as e:
                print("401", e.status_code, e.body["code"])
            """, in: try TemporaryDirectory())
        #expect(lines == [
            "plain deepseek-chat Paris is the capital. stop 14",
            "stream One two three. stop",
            #"tool tool_calls get_weather {"city":"Paris"}"#,
            #"tool-stream {"city":"Oslo"}"#,
            "length length",
            "refusal I can't help with that.",
            "models deepseek-chat:deepseek,deepseek-reasoner:deepseek",
            "429 429 7 rate_limit_exceeded",
            "401 401 invalid_api_key",
        ])
    }

    @Test(.enabled(if: PythonModule.isInstalled("anthropic"),
                   "needs the anthropic Python SDK, which is optional: install it with `python3 -m pip install anthropic` (.ci/run does)"))
    func theAnthropicSDKParsesEveryAnthropicStub() async throws {
        let lines = try await run([
            ["anthropic-messages", "--text", "Bonjour tout le monde."],
            ["anthropic-messages", "--url", "https://api.anthropic.com/stream/v1/messages", "--stream", "--text", "One two three."],
            ["anthropic-messages", "--url", "https://api.anthropic.com/tool/v1/messages", "--stream", "--tool", "get_weather", "--arguments", #"{"city":"Paris"}"#],
            ["anthropic-messages", "--url", "https://api.anthropic.com/cut/v1/messages", "--ending", "length"],
            ["anthropic-models", "--model", "claude-a", "--model", "claude-b"],
            ["error", "--provider", "anthropic", "--status", "429", "--retry-after", "5", "--url", "https://api.anthropic.com/limited/v1/messages"],
            ["error", "--provider", "anthropic", "--status", "529", "--url", "https://api.anthropic.com/busy/v1/messages"],
        ], script: """
            import os, anthropic
            def client(prefix=""):
                return anthropic.Anthropic(base_url=os.environ["BASE"] + prefix, api_key="sk-ant-test", max_retries=0)
            ask = dict(model="claude-sonnet-4-20250514", max_tokens=64, messages=[{"role": "user", "content": "hi"}])
            m = client().messages.create(**ask)
            print("plain", m.content[0].text, m.stop_reason, m.usage.output_tokens)
            with client("/stream").messages.stream(**ask) as stream:
                text = "".join(stream.text_stream)
                final = stream.get_final_message()
            print("stream", text, final.stop_reason, final.usage.output_tokens)
            with client("/tool").messages.stream(**ask) as stream:
                final = stream.get_final_message()
            print("tool", final.stop_reason, final.content[0].name, final.content[0].input["city"])
            print("length", client("/cut").messages.create(**ask).stop_reason)
            page = client().models.list()
            print("models", ",".join(m.id for m in page.data), page.has_more)
            try:
                client("/limited").messages.create(**ask)
            except anthropic.RateLimitError as e:
                print("429", e.status_code, e.response.headers["retry-after"], e.body["error"]["type"])
            try:
                client("/busy").messages.create(**ask)
            except anthropic.APIStatusError as e:
                print("529", e.status_code, e.body["error"]["type"])
            """, in: try TemporaryDirectory())
        #expect(lines == [
            "plain Bonjour tout le monde. end_turn 4",
            "stream One two three. end_turn 3",
            "tool tool_use get_weather Paris",
            "length max_tokens",
            "models claude-a,claude-b False",
            "429 429 5 rate_limit_error",
            "529 529 overloaded_error",
        ])
    }

    @Test(.enabled(if: PythonModule.isInstalled("google.genai"),
                   "needs the google-genai Python SDK, which is optional: install it with `python3 -m pip install google-genai` (.ci/run does)"))
    func theGoogleGenAISDKParsesEveryGeminiStub() async throws {
        let lines = try await run([
            ["gemini-generate", "--text", "Hello from Gemini."],
            ["gemini-generate", "--stream", "--text", "One two three."],
            ["gemini-generate", "--model", "gemini-tool", "--tool", "get_weather", "--arguments", #"{"city":"Paris"}"#],
            ["gemini-generate", "--model", "gemini-cut", "--ending", "length"],
            ["gemini-generate", "--model", "gemini-blocked", "--ending", "refusal"],
            ["gemini-models", "--model", "gemini-a", "--model", "gemini-b"],
            ["error", "--provider", "gemini", "--status", "429", "--url", "https://generativelanguage.googleapis.com/v1beta/models/gemini-limited:generateContent"],
        ], script: """
            import os
            from google import genai
            from google.genai import errors, types
            g = genai.Client(api_key="test-key", http_options=types.HttpOptions(base_url=os.environ["BASE"], api_version="v1beta"))
            r = g.models.generate_content(model="gemini-2.0-flash", contents="hi")
            print("plain", r.text, r.candidates[0].finish_reason.value, r.usage_metadata.total_token_count)
            print("stream", "".join(c.text or "" for c in g.models.generate_content_stream(model="gemini-2.0-flash", contents="hi")))
            call = g.models.generate_content(model="gemini-tool", contents="hi").function_calls[0]
            print("tool", call.name, call.args["city"])
            print("length", g.models.generate_content(model="gemini-cut", contents="hi").candidates[0].finish_reason.value)
            print("blocked", g.models.generate_content(model="gemini-blocked", contents="hi").candidates[0].finish_reason.value)
            print("models", ",".join(m.name for m in g.models.list()))
            try:
                g.models.generate_content(model="gemini-limited", contents="hi")
            except errors.ClientError as e:
                print("429", e.code, e.status)
            """, in: try TemporaryDirectory())
        #expect(lines == [
            "plain Hello from Gemini. STOP 13",
            "stream One two three.",
            "tool get_weather Paris",
            "length MAX_TOKENS",
            "blocked SAFETY",
            "models models/gemini-a,models/gemini-b",
            "429 429 RESOURCE_EXHAUSTED",
        ])
    }
}
