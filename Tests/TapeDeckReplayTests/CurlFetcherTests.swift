#if os(Linux)
import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck
@testable import TapeDeckReplay

/// Recording on Linux goes through `curl`; no credential may ever be on its command line,
/// where `ps` shows it to every user of the machine.
@Suite struct CurlFetcherTests {
    static let key = "sk-argv-secret-0123456789abcdef"

    /// The command lines of the running curl processes this library started for `baseURL`
    /// (other tests run their own curl at the same time: the URL, in the owner-only config
    /// file, tells this test's apart).
    static func curlCommandLines(for baseURL: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid -> String? in
            guard Int(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard arguments.first?.hasSuffix("curl") == true, arguments.contains(where: { $0.contains("tapedeck-record-") }) else { return nil }
            guard let config = arguments.firstIndex(of: "--config").map({ $0 + 1 }), config < arguments.count,
                  let file = FileManager.default.contents(atPath: arguments[config]),
                  String(decoding: file, as: UTF8.self).contains(baseURL) else { return nil }
            return arguments.joined(separator: " ")
        }
    }

    @Test func noArgumentOfTheCurlProcessCarriesAKeyFromAHeaderTheQueryOrTheBody() throws {
        let seen = Locked<[String]>([])
        let baseURL = Locked("")
        let server = try LoopbackServer { _ in
            // curl is waiting for this answer now: read its command line.
            seen.withLock { $0 = Self.curlCommandLines(for: baseURL.withLock { $0 }) }
            return .init(status: 200, headers: [("Content-Type", "application/json")], pieces: [Data("{}".utf8)])
        }
        defer { server.stop() }
        baseURL.withLock { $0 = server.baseURL }
        let request = RecordedRequest(method: "POST", url: "\(server.baseURL)/v1/models?key=\(Self.key)&x=1",
                                      headers: ["Authorization": "Bearer \(Self.key)", "x-api-key": Self.key, "X-Quote": #"a "quoted" \ value"#,
                                                "Content-Type": "application/json"],
                                      body: Data(#"{"api_key":"\#(Self.key)"}"#.utf8))
        let response = try CurlFetcher().fetch(request, cassette: "argv.tape")
        #expect(response.status == 200)
        let lines = seen.withLock { $0 }
        #expect(lines.count == 1, "the curl process was seen while it waited: \(lines)")
        for line in lines {
            #expect(!line.contains(Self.key), "a key is on curl's command line: \(line)")
            #expect(line.contains("--config"))
        }
        // ... and the upstream still got every credential, and the awkward header byte for byte.
        let received = try #require(server.requests.first)
        #expect(received.headers["authorization"] == "Bearer \(Self.key)")
        #expect(received.headers["x-api-key"] == Self.key)
        #expect(received.headers["x-quote"] == #"a "quoted" \ value"#)
        #expect(received.path == "/v1/models?key=\(Self.key)&x=1")
        #expect(String(decoding: received.body, as: UTF8.self) == #"{"api_key":"\#(Self.key)"}"#)
    }

    @Test func aConfigValueCannotEndItsLine() {
        #expect(CurlFetcher.quoted("a\"b\\c\nurl = x") == #""a\"b\\c\nurl = x""#)
    }
}
#endif
