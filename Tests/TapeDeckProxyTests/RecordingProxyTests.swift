import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing
import TapeDeck
import TapeDeckProxy
import TapeDeckReplay

private func request(_ url: String, method: String = "GET", _ headers: [String: String], body: String? = nil) -> URLRequest {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body.map { Data($0.utf8) }
    return request
}

private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

/// The recording proxy in-process, in front of the example upstream, both on 127.0.0.1.
@Suite struct RecordingProxyTests {
    static let key = "sk-proxy-test-0123456789"

    @Test func answersAreForwardedUnchangedAndRecordedWithUpstreamURLsAndNoCredentials() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        let session = URLSession(configuration: .ephemeral)
        let headers = ["Authorization": "Bearer \(Self.key)"]
        let (direct, _) = try await session.data(for: request("\(rig.upstream.baseURL)/deepseek/models", headers))
        let (proxied, response) = try await session.data(for: request("\(rig.proxy.baseURL)/models", headers))
        let (refused, refusal) = try await session.data(for: request("\(rig.proxy.baseURL)/v1/models", ["Authorization": "Bearer sk-invalid-\(Self.key)"]))
        let cassette = try await rig.finish()

        #expect(proxied == direct)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((refusal as? HTTPURLResponse)?.statusCode == 401)
        #expect(text(refused).contains("sk-invalid-\(Self.key)"), "the client gets the upstream's answer as it was")
        #expect(cassette.interactions.map(\.request.url) == ["https://api.deepseek.com/models", "https://api.deepseek.com/v1/models"])
        #expect(cassette.interactions.map(\.request.redacted) == [[.header("authorization")], [.header("authorization")]])
        #expect(cassette.interactions[0].response.body == direct)
        let fileBytes = try Data(contentsOf: rig.cassette)
        let plain = try fileBytes.withUnsafeBytes { try Gzip.decompress($0) }.data
        for bytes in [fileBytes, plain] {
            #expect(bytes.range(of: Data(Self.key.utf8)) == nil, "no credential value in the cassette, compressed or not")
        }
        #expect(rig.recorder.summary.interactions == 2)
    }

    @Test func theRecordedCassetteReplaysThroughTheLibraryWithIdenticalBodies() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(api: "/gateway", recordAs: "https://gateway.example", in: directory)
        let session = URLSession(configuration: .ephemeral)
        let variants = [["Authorization": "Bearer sk-a-12345678"], ["x-goog-api-key": "AIza-12345678"],
                        ["x-api-key": "sk-ant-12345678", "anthropic-version": "2023-06-01"]]
        var live: [Data] = []
        for headers in variants {
            live.append(try await session.data(for: request("\(rig.proxy.baseURL)/v1/models", headers)).0)
        }
        _ = try await rig.finish()

        let player = try CassettePlayer(contentsOf: rig.cassette)
        let replay = player.makeSession()
        for (headers, expected) in zip(variants, live) {
            let (data, _) = try await replay.data(for: request("https://gateway.example/v1/models", headers))
            #expect(data == expected)
        }
        try player.assertAllPlayed()
        #expect(Set(live.map(text)).count == 3, "three formats")
    }

    @Test func aStreamedAnswerReachesTheClientInPiecesBeforeTheUpstreamFinishes() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        let collector = ChunkCollector()
        let session = URLSession(configuration: .ephemeral, delegate: collector, delegateQueue: OperationQueue())
        session.dataTask(with: request("\(rig.proxy.baseURL)/chat/completions", method: "POST", ["Authorization": "Bearer \(Self.key)"],
                                       body: #"{"model":"deepseek-chat","stream":true}"#)).resume()
        let outcome = try await collector.finished()
        let cassette = try await rig.finish()
        // The upstream sends six events 50 ms apart. Buffered, they would all arrive at the end.
        #expect(outcome.chunks.count >= 3)
        #expect(outcome.ended - outcome.chunks[0].arrival >= .milliseconds(150))
        let chunks = try #require(cassette.interactions.first?.response.chunks)
        #expect(chunks.count == 6)
        #expect(chunks.last!.milliseconds >= 200)
    }

    @Test func manyConcurrentKeepAliveClientsAreServed() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        let session = URLSession(configuration: .ephemeral)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let (_, response) = try await session.data(for: request("\(rig.proxy.baseURL)/models?n=\(index)", ["Authorization": "Bearer sk-\(index)-abcdefgh"]))
                    return (response as? HTTPURLResponse)?.statusCode ?? 0
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let cassette = try await rig.finish()
        #expect(statuses == Array(repeating: 200, count: 40))
        #expect(cassette.interactions.count == 40)
    }

    @Test func upstreamConnectionsAreKeptAliveAndReusedAcrossRequests() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        let count = 25
        // One request after another, each from a new client connection: the proxy's side of the
        // upstream is what is counted.
        for index in 0..<count {
            let answer = try await sh("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer sk-\(index)-abcdefgh' \(rig.proxy.baseURL)/models")
            #expect(answer == "200")
        }
        let upstreamConnections = rig.upstream.server.connectionsAccepted
        let clientConnections = rig.proxy.server.connectionsAccepted
        let cassette = try await rig.finish()
        #expect(clientConnections == count, "each curl made its own connection to the proxy")
        #expect(upstreamConnections == 1, "one pooled upstream connection served all \(count) requests, not \(upstreamConnections)")
        #expect(cassette.interactions.count == count)
    }

    @Test func anUnreachableUpstreamIsA502NamingItAndNothingIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        await rig.upstream.stop()
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request("\(rig.proxy.baseURL)/models", ["Authorization": "Bearer k"]))
        let cassette = try await rig.finish()
        #expect((response as? HTTPURLResponse)?.statusCode == 502)
        let message = text(data)
        #expect(message.contains("cannot reach upstream http://127.0.0.1:\(rig.upstream.port)/deepseek"))
        #expect(message.contains("Connection refused"))
        #expect(cassette.interactions.isEmpty)
    }

    @Test func aMalformedRequestGetsA400AndTheProxyKeepsServing() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        let reply = try await RawClient.exchange(port: rig.proxy.port, bytes: "THIS IS NOT HTTP\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 400"))
        let (_, response) = try await URLSession(configuration: .ephemeral).data(for: request("\(rig.proxy.baseURL)/models", ["Authorization": "Bearer k"]))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try await rig.finish().interactions.count == 1)
    }

    @Test func aClientThatDisconnectsMidStreamLeavesTheProxyServing() async throws {
        let directory = try TemporaryDirectory()
        // A stream that goes on until its reader is gone, so the client always leaves mid-stream.
        let rig = try await ProxyRig.start(in: directory, upstreamHandler: EndlessStreamUpstream())
        let body = #"{"model":"deepseek-chat","stream":true}"#
        let head = "POST /chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let partial = try await RawClient.exchange(port: rig.proxy.port, bytes: head, readAtMost: 200)  // hangs up after the first bytes
        #expect(partial.hasPrefix("HTTP/1.1 200"))
        // Until the proxy has seen the client leave (the exchange counted as failed), 10 s at most.
        let deadline = ContinuousClock.now + .seconds(10)
        while rig.recorder.summary.failures == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(rig.recorder.summary.failures == 1)
        let (_, response) = try await URLSession(configuration: .ephemeral).data(for: request("\(rig.proxy.baseURL)/models", ["Authorization": "Bearer k"]))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let cassette = try await rig.finish()
        #expect(cassette.interactions.map(\.request.url) == ["https://api.deepseek.com/models"], "the cut exchange is not recorded")
    }

    @Test func stoppingFinishesTheExchangesInFlight() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        let collector = ChunkCollector()
        let session = URLSession(configuration: .ephemeral, delegate: collector, delegateQueue: OperationQueue())
        session.dataTask(with: request("\(rig.proxy.baseURL)/chat/completions", method: "POST", ["Authorization": "Bearer k"],
                                       body: #"{"model":"deepseek-chat","stream":true}"#)).resume()
        try await collector.firstArrival()
        await rig.proxy.stop()  // returns only when the exchange under way is done
        let outcome = try await collector.finished()
        #expect(outcome.chunks.count >= 2, "the answer went on after stop() was called")
        let cassette = try await rig.finish()
        #expect(cassette.interactions.count == 1)
        #expect(String(decoding: cassette.interactions[0].response.body, as: UTF8.self).hasSuffix("data: [DONE]\n\n"))
    }
}

/// A socket client for what URLSession will not send: garbage, or a hang-up mid-answer.
/// Its blocking reads run on a thread of their own: blocking the (two-thread) cooperative pool
/// would starve the servers under test.
enum RawClient {
    static func exchange(port: Int, bytes: String, readAtMost limit: Int = 65536) async throws -> String {
        try await offPool { try blockingExchange(port: port, bytes: bytes, readAtMost: limit) }
    }

    private static func blockingExchange(port: Int, bytes: String, readAtMost limit: Int) throws -> String {
        let descriptor = tcpSocket()
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = bytes.withCString { write(descriptor, $0, strlen($0)) }
        var buffer = [UInt8](repeating: 0, count: limit)
        var received = 0
        while received < limit {
            let count = read(descriptor, &buffer[received], limit - received)
            if count <= 0 { break }
            received += count
            if received >= 12 && limit < 65536 { break }
        }
        return String(decoding: buffer[0..<received], as: UTF8.self)
    }
}

/// An upstream whose `/chat/completions` streams an event every 10 ms until the writer fails
/// (30 s at most); anything else is a small list-models answer.
struct EndlessStreamUpstream: ExchangeHandler {
    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        guard request.head.uri.hasSuffix("/chat/completions") else {
            try await writer.respond(status: .ok, headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"object":"list","data":[]}"#))
            return
        }
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "Content-Type", value: "text/event-stream")
        try await writer.head(head)
        for number in 0..<3_000 {
            try await writer.body(ByteBuffer(string: "data: {\"n\":\(number)}\n\n"))
            try await Task.sleep(for: .milliseconds(10))
        }
        try await writer.end()
    }
}
