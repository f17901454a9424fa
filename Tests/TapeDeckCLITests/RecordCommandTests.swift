import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// `tapedeck record` end to end: the real binary in front of `tapedeck example-upstream`, both on
/// 127.0.0.1, driven by curl, signals and the openai Python SDK.
@Suite(.serialized) struct RecordCommandTests {
    static let key = "sk-cli-test-0123456789abcdef"

    /// The example upstream, running for one test.
    private func upstream(in directory: TemporaryDirectory, _ extra: [String] = []) async throws -> (ToolProcess, String) {
        let tool = try ToolProcess(["example-upstream", "--port", "0"] + extra, in: directory.url)
        return (tool, try await tool.address())
    }

    private func record(_ upstream: String, _ extra: [String] = [], in directory: TemporaryDirectory) async throws -> (ToolProcess, String) {
        let tool = try ToolProcess(["record", "--upstream", upstream + "/deepseek", "--record-as", "https://api.deepseek.com",
                                    "--cassette", "cassettes/deepseek-models.tape", "--port", "0"] + extra, in: directory.url)
        return (tool, try await tool.address())
    }

    private func folder(_ directory: TemporaryDirectory) throws {
        try FileManager.default.createDirectory(at: directory.file("cassettes"), withIntermediateDirectories: true)
    }

    @Test func curlThroughTheProxyThenSIGINTLeavesACompactedRedactedCassette() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        let (example, upstreamURL) = try await upstream(in: directory)
        defer { example.signal(SIGTERM) }
        let (proxy, address) = try await record(upstreamURL, in: directory)
        #expect(try await proxy.firstLine() == "tapedeck: recording on \(address) -> \(upstreamURL)/deepseek into cassettes/deepseek-models.tape")

        let models = try await sh("curl -sS -H 'Authorization: Bearer \(Self.key)' \(address)/models")
        let refused = try await sh("curl -sS -H 'Authorization: Bearer sk-invalid-\(Self.key)' '\(address)/v1/models?key=\(Self.key)'")
        proxy.signal(SIGINT)
        #expect(try await proxy.wait() == 0)

        #expect(models.contains("deepseek-reasoner"))
        #expect(refused.contains("sk-invalid-\(Self.key)"), "the client gets the echo; the cassette must not")
        let lines = proxy.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("GET /models 200 "))
        #expect(lines[1].hasSuffix("header:authorization"))
        #expect(lines[2].hasPrefix("GET /v1/models 401 "), "the log line never shows a key: \(lines[2])")
        #expect(lines[3].hasPrefix("tapedeck: stopped; 2 interactions recorded into cassettes/deepseek-models.tape"))
        #expect(lines[3].hasSuffix("credentials removed: header:authorization, query:key"))

        let file = directory.file("cassettes/deepseek-models.tape")
        let compressed = try Data(contentsOf: file)
        let plain = try await sh("gzip -dc '\(file.path)'")
        #expect(compressed.range(of: Data(Self.key.utf8)) == nil)
        #expect(!plain.contains(Self.key))
        #expect(plain.split(separator: "\n").count == 3, "one member after compaction still reads as header + 2 lines")
        let cassette = try Cassette(contentsOf: file)
        #expect(cassette.interactions.map(\.request.url) == ["https://api.deepseek.com/models", "https://api.deepseek.com/v1/models"])
        #expect(cassette.interactions[1].request.redacted == [.header("authorization"), .query("key")])
    }

    @Test func killMinus9MidSessionLeavesEveryFinishedExchangeLoadable() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        // A stream slow enough (10 s) to be surely still going when the proxy is killed.
        let (example, upstreamURL) = try await upstream(in: directory, ["--stream-gap", "2000"])
        defer { example.signal(SIGTERM) }
        let (proxy, address) = try await record(upstreamURL, in: directory)
        for page in 1...3 { _ = try await sh("curl -sS -H 'Authorization: Bearer \(Self.key)' '\(address)/models?page=\(page)'") }
        // One exchange still streaming when the proxy dies: its first event has reached curl.
        let streaming = try ToolProcess(executable: "curl", ["-sS", "-N", "-H", "Authorization: Bearer \(Self.key)",
                                                             "-d", #"{"model":"deepseek-chat","stream":true}"#, "\(address)/chat/completions"],
                                        in: directory.url)
        try await streaming.waitFor("data: ")
        #expect(!streaming.standardOutput.contains("[DONE]"), "the stream was still going when the proxy was killed")
        proxy.signal(SIGKILL)
        _ = try await proxy.wait()
        _ = try await streaming.waitForOutput()

        let cassette = try Cassette(contentsOf: directory.file("cassettes/deepseek-models.tape"))
        #expect(cassette.interactions.map(\.request.url) == (1...3).map { "https://api.deepseek.com/models?page=\($0)" })
        #expect(cassette.warnings.isEmpty, "appends are whole gzip members: nothing was cut")
    }

    @Test(.enabled(if: PythonModule.isInstalled("openai"),
                   "needs the openai Python SDK, which is optional: install it with `python3 -m pip install openai` (.ci/run does)"))
    func theOfficialOpenAIPythonSDKListsModelsThroughTheProxy() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        let (example, upstreamURL) = try await upstream(in: directory)
        defer { example.signal(SIGTERM) }
        let (proxy, address) = try await record(upstreamURL, in: directory)
        let script = """
            from openai import OpenAI
            client = OpenAI(base_url="\(address)", api_key="\(Self.key)", max_retries=0)
            print(",".join(model.id for model in client.models.list()))
            """
        try Data(script.utf8).write(to: directory.file("list_models.py"))
        let ids = try await sh("cd '\(directory.url.path)' && python3 list_models.py")
        proxy.signal(SIGINT)
        #expect(try await proxy.wait() == 0)
        #expect(ids.trimmingCharacters(in: .whitespacesAndNewlines) == "deepseek-chat,deepseek-reasoner")
        let cassette = try Cassette(contentsOf: directory.file("cassettes/deepseek-models.tape"))
        #expect(cassette.interactions.map(\.request.url) == ["https://api.deepseek.com/models"])
        #expect(cassette.interactions[0].request.headers["user-agent"]?.hasPrefix("OpenAI/Python") == true)
        #expect(cassette.interactions[0].request.redacted == [.header("authorization")])
    }

    /// A recorder in front of an upstream that accepts and never answers, with one request
    /// waiting on it; `stop` signals the recorder. Returns the recorder, after it exited.
    private func recorderStuckOnAHangingUpstream(_ directory: TemporaryDirectory, stop: (ToolProcess) async throws -> Void) async throws -> ToolProcess {
        try folder(directory)
        let hanging = try SilentListener()
        defer { hanging.stop() }
        let proxy = try ToolProcess(["record", "--upstream", hanging.baseURL, "--cassette", "cassettes/hang.tape", "--port", "0"], in: directory.url)
        let address = try await proxy.address()
        let client = try ToolProcess(executable: "curl", ["-s", "-o", "/dev/null", "--max-time", "30", "-H", "Authorization: Bearer \(Self.key)",
                                                          "\(address)/models"], in: directory.url)
        // The request is in flight once the recorder has connected to the upstream.
        try await hanging.waitForConnections(1)
        try await stop(proxy)
        #expect(try await proxy.wait() == 0, "the recorder stopped and exited cleanly")
        _ = try await client.waitForOutput()
        return proxy
    }

    @Test func sigintStopsTheRecorderEvenWhenTheUpstreamNeverAnswers() async throws {
        let directory = try TemporaryDirectory()
        let proxy = try await recorderStuckOnAHangingUpstream(directory) { $0.signal(SIGINT) }
        #expect(proxy.standardError.contains("exchanges still in flight after the grace period were cancelled and not recorded"))
        #expect(try Cassette(contentsOf: directory.file("cassettes/hang.tape")).interactions.isEmpty)
    }

    @Test func aSecondSIGINTStopsAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let proxy = try await recorderStuckOnAHangingUpstream(directory) { proxy in
            proxy.signal(SIGINT)
            try await proxy.waitFor("a second signal cancels them now", inErrors: true)
            proxy.signal(SIGINT)
        }
        #expect(proxy.standardOutput.contains("tapedeck: stopped; 0 interactions recorded"))
        #expect(proxy.standardError.contains("exchanges still in flight were cancelled at the second signal and not recorded"),
                "the second signal, not the end of the grace period, cancelled them: \(proxy.standardError)")
    }

    @Test func appendKeepsWhatIsThereAndAddsTheNewExchanges() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        let (example, upstreamURL) = try await upstream(in: directory)
        defer { example.signal(SIGTERM) }
        for (round, extra) in [(1, [String]()), (2, ["--append"])] {
            let (proxy, address) = try await record(upstreamURL, extra, in: directory)
            _ = try await sh("curl -sS -H 'Authorization: Bearer \(Self.key)' '\(address)/models?round=\(round)'")
            proxy.signal(SIGTERM)
            #expect(try await proxy.wait() == 0)
        }
        let cassette = try Cassette(contentsOf: directory.file("cassettes/deepseek-models.tape"))
        #expect(cassette.interactions.map(\.request.url) == ["https://api.deepseek.com/models?round=1", "https://api.deepseek.com/models?round=2"])
    }

    // MARK: Refusals

    @Test func anExistingCassetteIsNotOverwrittenBySurprise() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        let file = directory.file("cassettes/deepseek-models.tape")
        try Cassette(name: "deepseek-models").write(to: file)
        let before = try Data(contentsOf: file)
        let result = try await ToolProcess.run(["record", "--upstream", "http://127.0.0.1:9", "--cassette", "cassettes/deepseek-models.tape", "--port", "0"], in: directory.url)
        #expect(result.status != 0)
        #expect(result.errors.contains("the cassette cassettes/deepseek-models.tape already exists; pass --append to add to it or --overwrite to replace it"))
        #expect(try Data(contentsOf: file) == before)
    }

    @Test func aCassetteFolderThatDoesNotExistIsRefusedBeforeListening() async throws {
        let directory = try TemporaryDirectory()
        let result = try await ToolProcess.run(["record", "--upstream", "http://127.0.0.1:9", "--cassette", "missing/x.tape", "--port", "0"], in: directory.url)
        #expect(result.status != 0)
        #expect(result.errors.contains("of --cassette missing/x.tape does not exist; create it first"))
        #expect(!result.output.contains("recording on"))
    }

    @Test func aPortInUseIsRefusedNamingIt() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        let (example, upstreamURL) = try await upstream(in: directory)
        defer { example.signal(SIGTERM) }
        let port = String(upstreamURL.split(separator: ":").last!)
        let result = try await ToolProcess.run(["record", "--upstream", upstreamURL, "--cassette", "cassettes/x.tape", "--port", port], in: directory.url)
        #expect(result.status != 0)
        #expect(result.errors.contains("port \(port) on 127.0.0.1 is already in use"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("cassettes/x.tape").path), "nothing created")
    }

    @Test func replayServesTheRecordedCassetteToCurl() async throws {
        let directory = try TemporaryDirectory()
        try folder(directory)
        let (example, upstreamURL) = try await upstream(in: directory)
        let (proxy, address) = try await record(upstreamURL, in: directory)
        let live = try await sh("curl -sS -H 'Authorization: Bearer \(Self.key)' \(address)/models")
        proxy.signal(SIGINT)
        _ = try await proxy.wait()
        example.signal(SIGTERM)

        let replay = try ToolProcess(["replay", "--cassette", "cassettes/deepseek-models.tape", "--port", "0"], in: directory.url)
        let replayAddress = try await replay.address()
        let replayed = try await sh("curl -sS -H 'Authorization: Bearer another-key' \(replayAddress)/models")
        let miss = try await sh("curl -sS -w ' %{http_code}' -H 'x-api-key: k' \(replayAddress)/models")
        replay.signal(SIGINT)
        #expect(try await replay.wait() == 0)
        #expect(replayed == live)
        #expect(miss.hasSuffix(" 404"))
        #expect(miss.contains("no recorded interaction matches the request"))
        #expect(replay.standardError.contains("differs in credentials"))
    }
}
