import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck

/// `tapedeck-cli drift` against a hostile live API (a Python server on 127.0.0.1, port 0, started
/// and ended by each test): echoed keys, lies about encodings, rate limits, drips, huge and
/// forged answers, and a writer racing `--update`.
@Suite(.enabled(if: PythonModule.isInstalled("http.server"), "the hostile upstream is a python3 script: install python3 (.ci/run has it)"))
struct DriftHostileUpstreamTests {
    static let key = "sk-hostile-drift-0123456789abcdef"
    static let queryKey = "AIzaHostileQueryKey0123456789abcd"

    static let server = #"""
        import base64, gzip, json, sys, time, urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def send(self, status, body, headers=()):
                self.send_response(status)
                for name, value in headers: self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                listing = lambda ids: json.dumps({"object": "list", "data": [{"id": i} for i in ids]}).encode()
                kind = ("Content-Type", "application/json")
                if url.path == "/echo":
                    self.send(200, listing([self.headers.get("Authorization", ""), query.get("key", "")]), [kind, ("X-Echo", query.get("key", ""))])
                elif url.path == "/echo-basic":
                    password = base64.b64decode(self.headers.get("Authorization", "Basic ")[6:]).decode().split(":", 1)[-1]
                    self.send(200, listing(["user-" + password]), [kind])
                elif url.path == "/ratelimit":
                    self.send(429, b'{"error":"slow down"}', [kind, ("Retry-After", "30")])
                elif url.path == "/notjson":
                    self.send(200, b"<html>maintenance</html>", [("Content-Type", "text/html")])
                elif url.path == "/deep":
                    self.send(200, b"[" * 1000000 + b"]" * 1000000, [kind])
                elif url.path == "/empty":
                    self.send(200, b"", [kind])
                elif url.path == "/gzip-lie":
                    self.send(200, listing(["b"]), [kind, ("Content-Encoding", "gzip")])
                elif url.path == "/big":
                    self.send(200, b'{"object":"list","data":[],"pad":"' + b"x" * 3_000_000 + b'"}', [kind])
                elif url.path == "/drip":
                    self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", "1000000"); self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b" "); self.wfile.flush(); time.sleep(0.2)
                    except Exception: pass
                elif url.path == "/forged":
                    self.send(200, listing(["x\x1b[2K\r0 of 2 interactions drifted\nok"]), [kind])
                elif url.path == "/many":
                    self.send(200, listing(["model-%d" % i for i in range(40000)]), [kind])
                elif url.path == "/race":
                    with open(query["file"], "ab") as f: f.write(b"\x00")   # another writer changes the cassette
                    self.send(200, listing(["b"]), [kind])
                else:
                    self.send(200, listing(["a"]), [kind])

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// The hostile server, and its address.
    private func hostile(in directory: TemporaryDirectory) async throws -> (ToolProcess, String) {
        try Data(Self.server.utf8).write(to: directory.file("hostile.py"))
        let process = try ToolProcess(executable: "python3", [directory.file("hostile.py").path], in: directory.url)
        return (process, try await process.firstLine())
    }

    /// A cassette of one recorded list (`{"data":[{"id":"a"}]}`) per path, at api.example.test.
    private func cassette(_ paths: [String], as name: String = "c.tape", in directory: TemporaryDirectory) throws -> String {
        let interactions = paths.map { path in
            Interaction(request: RecordedRequest(method: "GET", url: "https://api.example.test\(path)", headers: ["Accept": "application/json"],
                                                 redacted: [.header("authorization")]),
                        response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"object":"list","data":[{"id":"a"}]}"#.utf8)))
        }
        try Cassette(name: "c", interactions: interactions).write(to: directory.file(name))
        return name
    }

    private func drift(_ arguments: [String], _ address: String, in directory: TemporaryDirectory) async throws -> (status: Int32, output: String, errors: String) {
        try await ToolProcess.run(["drift"] + arguments + ["--upstream", address, "--header", "Authorization: Bearer \(Self.key)"], in: directory.url)
    }

    @Test func anEchoedHeaderOrQueryKeyIsNeitherPrintedNorWritten() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/echo"], in: directory)
        for extra in [[], ["--json"]] {
            let result = try await drift([file, "--query", "key=\(Self.queryKey)", "--update"] + extra, address, in: directory)
            #expect(result.status == 1, "\(result.output) \(result.errors)")
            for secret in [Self.key, Self.queryKey] {
                #expect(!result.output.contains(secret) && !result.errors.contains(secret), "printed: \(result.output) \(result.errors)")
            }
        }
        let plain = try await sh("gzip -dc '\(directory.file(file).path)'")
        #expect(plain.contains("[REDACTED]") || plain.contains("REDACTED"), "the echo was scrubbed: \(plain)")
        #expect(!plain.contains(Self.key) && !plain.contains(Self.queryKey), "written: \(plain)")
    }

    @Test func thePasswordInsideABasicCredentialIsScrubbedToo() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/echo-basic"], in: directory)
        let password = "basic-password-0123456789"
        let basic = "Basic " + Data("user:\(password)".utf8).base64EncodedString()
        let result = try await ToolProcess.run(["drift", file, "--upstream", address, "--header", "Authorization: \(basic)", "--update"], in: directory.url)
        #expect(result.status == 1, "\(result.output) \(result.errors)")
        #expect(!result.output.contains(password), "\(result.output)")
        let plain = try await sh("gzip -dc '\(directory.file(file).path)'")
        #expect(!plain.contains(password), "\(plain)")
    }

    @Test func aKeyWithACarriageReturnIsRefusedWithoutBeingShown() async throws {
        let directory = try TemporaryDirectory()
        let file = try cassette(["/echo"], in: directory)
        let result = try await ToolProcess.run(["drift", file, "--header", "Authorization: Bearer \(Self.key)\r"], in: directory.url)
        #expect(result.status == 2)
        #expect(result.errors.contains("carriage return"), "\(result.errors)")
        #expect(!result.errors.contains(Self.key))
    }

    @Test func aRateLimitIsNotComparedAndNeverReplacesTheRecording() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/ratelimit"], in: directory)
        let before = try Data(contentsOf: directory.file(file))
        let result = try await drift([file, "--update"], address, in: directory)
        #expect(result.status == 2, "could not check: \(result.output)")
        #expect(result.output.contains("#1 GET https://api.example.test/ratelimit: not compared"), "\(result.output)")
        #expect(result.output.contains("0 of 1 interaction drifted; 1 not compared"))
        #expect(try Data(contentsOf: directory.file(file)) == before)
    }

    @Test func anAnswerThatIsNotJSONOrLiesAboutItsEncodingIsDriftButIsNotWritten() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/notjson", "/gzip-lie", "/deep", "/empty"], in: directory)
        let before = try Data(contentsOf: directory.file(file))
        let result = try await drift([file, "--update"], address, in: directory)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("the live answer is not JSON"), "\(result.output)")
        #expect(result.output.contains("#3 GET https://api.example.test/deep: drifted\n      the live answer is not JSON (or nests too deeply to read)"), "\(result.output)")
        #expect(result.output.contains("#4 GET https://api.example.test/empty: drifted\n      the live answer is empty where JSON was recorded"), "\(result.output)")
        #expect(result.output.hasSuffix("4 of 4 interactions drifted\n"), "\(result.output)")
        #expect(result.errors.contains("#1 GET https://api.example.test/notjson: not re-recorded: only a 2xx answer of the kind recorded"), "\(result.errors)")
        #expect(result.errors.contains("#2 GET https://api.example.test/gzip-lie: not re-recorded:"), "\(result.errors)")
        #expect(try Data(contentsOf: directory.file(file)) == before)
    }

    @Test func anAnswerLargerThanTheCassetteLimitIsRefusedNamingTheLimit() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/big"], in: directory)
        let result = try await drift([file, "--max-cassette-bytes", "1M"], address, in: directory)
        #expect(result.status == 2)
        #expect(result.errors.contains("is larger than 1048576 bytes, the limit for a cassette"), "\(result.errors)")
    }

    @Test func aDrippingUpstreamIsStoppedByTheDeadline() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/drip"], in: directory)
        let result = try await drift([file, "--deadline", "2", "--upstream-timeout", "30", "--update"], address, in: directory)
        #expect(result.status == 2)
        #expect(result.errors.contains("did not finish within --deadline 2 s; nothing was written"), "\(result.errors)")
    }

    @Test func forgedLinesAreEscapedAndLongListsCapped() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let file = try cassette(["/forged", "/many"], in: directory)
        let result = try await drift([file], address, in: directory)
        #expect(result.status == 1)
        #expect(!result.output.contains("\u{1B}") && !result.output.contains("\r"), "no raw control character")
        #expect(result.output.contains(#"x\u{1B}[2K\u{D}0 of 2 interactions drifted\u{A}ok"#), "\(result.output.prefix(2000))")
        let lines = result.output.split(separator: "\n")
        #expect(lines.last == "2 of 2 interactions drifted")
        #expect(lines.filter { $0.hasSuffix("interactions drifted") }.count == 1, "one summary line")
        #expect(result.output.contains("... (39980 more)"), "\(result.output.suffix(500))")
        #expect(lines.allSatisfy { $0.count < 2_000 })
    }

    @Test func aCassetteChangedWhileDriftRunsIsNotReplacedNorIsAnyOther() async throws {
        let directory = try TemporaryDirectory()
        let (server, address) = try await hostile(in: directory)
        defer { server.signal(SIGKILL) }
        let first = try cassette(["/many"], as: "first.tape", in: directory)
        let second = try cassette(["/race?file=\(directory.file("second.tape").path)"], as: "second.tape", in: directory)
        let firstBefore = try Data(contentsOf: directory.file(first))
        let result = try await drift([first, second, "--update"], address, in: directory)
        #expect(result.status == 2)
        #expect(result.errors.contains("second.tape changed on disk while drift ran; no cassette was changed"), "\(result.errors)")
        #expect(result.output.contains("2 of 2 interactions drifted"), "the report is printed all the same")
        #expect(try Data(contentsOf: directory.file(first)) == firstBefore, "all or none")
        #expect(try Data(contentsOf: directory.file(second)).last == 0, "the other writer's byte is still there")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains(".drift-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aKeyIsNeverSentInClearTextToAnotherMachine() async throws {
        let directory = try TemporaryDirectory()
        let interaction = Interaction(request: RecordedRequest(method: "GET", url: "http://api.example.test:9/models", redacted: [.header("authorization")]),
                                      response: RecordedResponse(status: 200, body: Data("{}".utf8)))
        try Cassette(name: "c", interactions: [interaction]).write(to: directory.file("plain.tape"))
        let result = try await ToolProcess.run(["drift", "plain.tape", "--header", "Authorization: Bearer \(Self.key)"], in: directory.url)
        #expect(result.status == 2)
        #expect(result.errors.contains("refusing to send credentials in clear text to http://api.example.test:9"), "\(result.errors)")
    }
}
