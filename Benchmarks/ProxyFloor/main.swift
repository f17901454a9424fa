// The proxy floor: what forwarding costs on SwiftNIO before TapeDeck's own work, so that
// `Benchmarks/recorder.sh` can split `tapedeck-cli record`'s CPU per request into its parts in
// the same run. Three ways of forwarding, each the cheapest this stack allows:
//
//   forward          NIO's HTTP/1 codec on both sides, one upstream connection per client
//                    connection on the same event loop, each part relayed as it arrives
//   record           the same, and each finished exchange handed to the core's CassetteRecorder
//                    (redaction, the JSON line, gzip, the file write on the recorder's queue)
//   asynchttpclient  NIO's server codec, and AsyncHTTPClient's delegate API for the upstream on
//                    the client connection's event loop (no recording)
//
//   swift run -c release tapedeck-proxy-floor UPSTREAM_PORT MODE [CASSETTE]
//
// One event loop thread (nginx is measured with one worker); binds 127.0.0.1, port 0, prints
// "floor on http://127.0.0.1:PORT" and runs until it is killed. Plain HTTP upstreams on
// 127.0.0.1 only: it is a measuring stick, not a proxy to use.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import TapeDeck

/// How the floor forwards.
enum Mode: String {
    case forward, record, asynchttpclient
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tapedeck-proxy-floor: \(message)\nusage: tapedeck-proxy-floor UPSTREAM_PORT forward|record|asynchttpclient [CASSETTE]\n".utf8))
    exit(64)
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2, let port = Int(arguments[arguments.startIndex]), (1...65535).contains(port) else {
    fail("give the upstream's port (1-65535) and a mode")
}
guard let mode = Mode(rawValue: arguments[arguments.startIndex + 1]) else {
    fail("unknown mode '\(arguments[arguments.startIndex + 1])'")
}
let upstream = Upstream(port: port)
let cassette = arguments.count > 2 ? arguments[arguments.startIndex + 2] : NSTemporaryDirectory() + "tapedeck-proxy-floor-\(getpid()).tape"

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let recorder: CassetteRecorder? = mode == .record
    ? CassetteRecorder(url: URL(fileURLWithPath: cassette), start: .create(overwrite: true), matching: MatchConfiguration(),
                       writeFailed: { _, error in fail("the cassette refused an exchange: \(error)") })
    : nil
let client: HTTPClient? = mode == .asynchttpclient ? HTTPClient(eventLoopGroup: group) : nil

do {
    let server = try await ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 256)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                if let client {
                    try channel.pipeline.syncOperations.addHandler(AsyncHTTPClientForwarder(client: client, upstream: upstream))
                } else {
                    try channel.pipeline.syncOperations.addHandler(Forwarder(upstream: upstream, recorder: recorder))
                }
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    FileHandle.standardOutput.write(Data("floor on http://127.0.0.1:\(server.localAddress?.port ?? 0) (\(mode.rawValue))\n".utf8))
    try await server.closeFuture.get()
} catch {
    fail("\(error)")
}
