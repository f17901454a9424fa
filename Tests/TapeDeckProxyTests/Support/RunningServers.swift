import Foundation
import TapeDeckTestSupport
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import TapeDeck
import TapeDeckProxy
import TapeDeckUpstreamTools

/// A server started in-process on 127.0.0.1, port 0, serving until `stop()`.
final class RunningServer: Sendable {
    let server: HTTPServer
    private let task: Task<Void, any Error>

    init(_ handler: some ExchangeHandler, tls: NIOSSLContext? = nil, limits: ServerLimits = .standard) async throws {
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0, tls: tls, limits: limits)
        self.server = server
        task = Task { try await server.run(handler) }
    }

    var port: Int { server.port }
    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    /// Stops accepting and waits until every connection is done, cancelling what is still in
    /// flight after two seconds (an upstream that never answers must not hold a test).
    func stop() async {
        server.stop()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: .seconds(2))
            task.cancel()
        }
        _ = await task.result
        deadline.cancel()
    }
}

/// The example upstream and a recording proxy in front of one of its APIs.
struct ProxyRig {
    let upstream: RunningServer
    let proxy: RunningServer
    let recorder: RecordingProxy
    let cassetteRecorder: CassetteRecorder
    let client: UpstreamClient
    let cassette: URL

    static func start(api prefix: String = "/deepseek", recordAs: String? = "https://api.deepseek.com", in directory: TemporaryDirectory,
                      upstreamTLS: NIOSSLContext? = nil, upstreamHost: String = "127.0.0.1", cacert: String? = nil,
                      upstreamHandler: some ExchangeHandler = ExampleUpstream(), readTimeout: TimeAmount = .seconds(300),
                      limits: ServerLimits = .standard) async throws -> ProxyRig {
        let upstream = try await RunningServer(upstreamHandler, tls: upstreamTLS)
        let scheme = upstreamTLS == nil ? "http" : "https"
        let target = try UpstreamTarget("\(scheme)://\(upstreamHost):\(upstream.port)\(prefix)")
        let cassette = directory.file("recorded.tape")
        let cassetteRecorder = CassetteRecorder(url: cassette, start: .create(overwrite: false), matching: .standard)
        try cassetteRecorder.open()
        let client = try UpstreamClient(group: MultiThreadedEventLoopGroup.singleton, caCertificateFile: cacert, readTimeout: readTimeout)
        let recorder = RecordingProxy(upstream: target, recordAs: recordAs, client: client, recorder: cassetteRecorder, logger: Logger(label: "test"))
        let proxy = try await RunningServer(recorder, limits: limits)
        return ProxyRig(upstream: upstream, proxy: proxy, recorder: recorder, cassetteRecorder: cassetteRecorder, client: client, cassette: cassette)
    }

    /// Stops both servers, the upstream client and the recording; returns what the cassette holds.
    func finish() async throws -> Cassette {
        await proxy.stop()
        await upstream.stop()
        await client.shutdown()
        try cassetteRecorder.close()
        return try Cassette(contentsOf: cassette)
    }
}

