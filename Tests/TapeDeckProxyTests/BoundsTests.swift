import Foundation
import TapeDeckTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
import TapeDeck
import TapeDeckProxy

/// An upstream that accepts a request and never answers it.
struct HangingUpstream: ExchangeHandler {
    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        try await Task.sleep(for: .seconds(600))
    }
}

/// An upstream that starts an answer and closes the connection in the middle of it.
struct EarlyClosingUpstream: ExchangeHandler {
    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "Content-Length", value: "1000")
        try await writer.head(head)
        try await writer.body(ByteBuffer(string: "only part of it"))
        throw CancellationError()  // the server drops the connection
    }
}

/// The recorder's bounds: an upstream that hangs or closes early, a body too large, a client
/// that never finishes its request, HTTP/1.0 clients and `Expect: 100-continue`.
@Suite struct BoundsTests {
    @Test func anUpstreamThatNeverAnswersGetsA504WithAJSONReasonAndNothingIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(api: "", recordAs: nil, in: directory, upstreamHandler: HangingUpstream(), readTimeout: .milliseconds(500))
        let answer = try await sh("curl -s -w ' %{http_code}' --max-time 20 \(rig.proxy.baseURL)/v1/models")
        let cassette = try await rig.finish()
        #expect(answer.hasSuffix(" 504"), "\(answer)")
        #expect(answer.contains(#""code":"upstream_timeout""#))
        #expect(answer.contains("sent nothing for 0.5 s (--upstream-timeout)"), "\(answer)")
        #expect(cassette.interactions.isEmpty)
        #expect(rig.recorder.summary.failures == 1)
    }

    @Test func anUpstreamThatClosesMidAnswerCutsTheClientAndIsNotRecorded() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(api: "", recordAs: nil, in: directory, upstreamHandler: EarlyClosingUpstream())
        let exit = try await sh("curl -s -o /dev/null --max-time 20 \(rig.proxy.baseURL)/v1/models; echo $?")
        let cassette = try await rig.finish()
        #expect(exit.trimmingCharacters(in: .whitespacesAndNewlines) != "0", "curl saw the answer cut short")
        #expect(cassette.interactions.isEmpty)
    }

    @Test func aBodyOverTheLimitIsA413WhetherItsLengthIsDeclaredOrNot() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory, limits: ServerLimits(maximumRequestBody: 1 << 20, clientIdleTimeout: .seconds(60)))
        try Data(count: 2 << 20).write(to: directory.file("big.bin"))
        let declared = try await sh("curl -s -w ' %{http_code}' -H 'Authorization: Bearer sk-k' --data-binary @\(directory.file("big.bin").path) \(rig.proxy.baseURL)/chat/completions")
        let chunked = try await sh("curl -s -w ' %{http_code}' -H 'Transfer-Encoding: chunked' -H 'Authorization: Bearer sk-k' --data-binary @\(directory.file("big.bin").path) \(rig.proxy.baseURL)/chat/completions")
        let small = try await sh("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer sk-k' -d '{\"model\":\"deepseek-chat\"}' \(rig.proxy.baseURL)/chat/completions")
        let cassette = try await rig.finish()
        for answer in [declared, chunked] {
            #expect(answer.hasSuffix(" 413"), "\(answer)")
            #expect(answer.contains("the request body is larger than 1048576 bytes"))
        }
        #expect(small == "200")
        #expect(cassette.interactions.count == 1)
    }

    @Test func anHTTP10ClientGetsNoChunkedEncodingAndTheConnectionEndsTheBody() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        // A streamed answer has no length: HTTP/1.1 would chunk it.
        let answer = try await sh("curl -s --http1.0 -D - -H 'Authorization: Bearer sk-k' -d '{\"model\":\"deepseek-chat\",\"stream\":true}' \(rig.proxy.baseURL)/chat/completions")
        let cassette = try await rig.finish()
        #expect(answer.hasPrefix("HTTP/1.0 200"), "\(answer)")
        #expect(!answer.lowercased().contains("transfer-encoding"))
        #expect(answer.lowercased().contains("connection: close"))
        #expect(answer.hasSuffix("data: [DONE]\n\n"), "the whole stream arrived")
        #expect(cassette.interactions.count == 1)
    }

    @Test func expect100ContinueIsAnswered() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory)
        try Data(repeating: 0x20, count: 64 << 10).write(to: directory.file("body.json"))
        let verbose = try await sh("curl -s -v -o /dev/null -H 'Expect: 100-continue' -H 'Authorization: Bearer sk-k' --data-binary @\(directory.file("body.json").path) \(rig.proxy.baseURL)/chat/completions 2>&1")
        _ = try await rig.finish()
        #expect(verbose.contains("< HTTP/1.1 100 Continue"), "\(verbose)")
        #expect(verbose.contains("< HTTP/1.1 200"))
    }

    @Test func aClientThatNeverFinishesItsRequestIsDisconnected() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(in: directory, limits: ServerLimits(maximumRequestBody: 1 << 20, clientIdleTimeout: .milliseconds(500)))
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: rig.proxy.port).get()
        // Half a request, and nothing more. (On a loaded machine the server may have closed the
        // connection before this write: that is the behaviour under test too.)
        try? await channel.writeAndFlush(ByteBuffer(string: "GET /models HTTP/1.1\r\nHost: x\r\n")).get()
        let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await channel.closeFuture.get(); return true }
            group.addTask { try await Task.sleep(for: .seconds(10)); return false }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        if !closed { try? await channel.close() }
        _ = try await rig.finish()
        #expect(closed, "the server closed the idle connection")
    }
}
