import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TapeDeck
import TapeDeckProxy
import TapeDeckTestSupport

/// One answer as AsyncHTTPClient gave it.
struct Fetched: Sendable {
    var status: Int
    var headers: NIOHTTP1.HTTPHeaders
    var body: String
}

/// A GET (or `method`) through AsyncHTTPClient, the client server-side Swift SDKs use.
func fetch(_ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil) async throws -> Fetched {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 16 << 20)
    return Fetched(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
}

/// Whether nothing listens at `baseURL` any more: a client that does not retry connecting is
/// refused (AsyncHTTPClient's shared client would keep retrying for its whole timeout).
func refusesConnections(_ baseURL: URL) async throws -> Bool {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    defer { Task { try? await client.shutdown() } }
    do {
        _ = try await client.execute(HTTPClientRequest(url: "\(baseURL)/models"), timeout: .seconds(10))
        try await client.shutdown()
        return false
    } catch {
        try? await client.shutdown()
        return true
    }
}

/// Cassettes for the server tests, built in memory and written by the core's writer.
enum Cassettes {
    static let key = "sk-server-tests-0123456789abcdef"
    static let models = #"{"object":"list","data":[{"id":"deepseek-chat","object":"model","owned_by":"deepseek"}]}"#
    static let events = ["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: {\"n\":3}\n\n", "data: [DONE]\n\n"]

    static func get(_ url: String, body: String, status: Int = 200) -> Interaction {
        Interaction(request: RecordedRequest(method: "GET", url: url, headers: [:], redacted: [.header("authorization")]),
                    response: RecordedResponse(status: status, headers: ["Content-Type": "application/json"], body: Data(body.utf8)))
    }

    /// A streamed chat answer: the events `gap` milliseconds apart.
    static func chat(gap: Int = 100) -> Interaction {
        Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", headers: ["Content-Type": "application/json"],
                                     body: Data(#"{"model":"deepseek-chat","stream":true}"#.utf8), redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: Data(events.joined().utf8),
                                       chunks: events.enumerated().map { ResponseChunk(size: $0.element.utf8.count, milliseconds: $0.offset * gap) }))
    }

    static var deepseek: Cassette {
        Cassette(name: "deepseek", interactions: [get("https://api.deepseek.com/models", body: models), chat()])
    }

    static func write(_ cassette: Cassette, to directory: TemporaryDirectory, as name: String? = nil) throws -> URL {
        let url = directory.file((name ?? cassette.name) + ".tape")
        try cassette.write(to: url)
        return url
    }
}

/// An upstream started in the test on 127.0.0.1, port 0: answers `/models` with a listing that
/// echoes the credential it was sent, and counts requests.
final class EchoUpstream: ExchangeHandler {
    let requests = Locked(0)

    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let number = requests.withLock { count in count += 1; return count }
        let sent = request.head.headers.first(name: "authorization") ?? "none"
        try await writer.respond(status: .ok, headers: ["Content-Type": "application/json"],
                                 body: ByteBuffer(string: #"{"object":"list","data":[],"seen":"\#(sent)","n":\#(number)}"#))
    }
}

/// A server serving `handler` until `stop()`.
final class RunningUpstream: Sendable {
    let server: HTTPServer
    private let task: Task<Void, Never>

    init(_ handler: some ExchangeHandler) async throws {
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        self.server = server
        task = Task { try? await server.run(handler) }
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(server.port)")! }

    func stop() async {
        server.stop()
        await task.value
    }
}
