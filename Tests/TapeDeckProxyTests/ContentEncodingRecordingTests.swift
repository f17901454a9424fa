import Foundation
import TapeDeckTestSupport
import NIOCore
import NIOHTTP1
import Testing
import TapeDeck
import TapeDeckProxy

/// An upstream that echoes the caller's key inside a body encoded the way `?coding=` asks, as a
/// misbehaving API or gateway might, and says which `Accept-Encoding` it was offered.
struct EncodingEchoUpstream: ExchangeHandler {
    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let key = request.head.headers.first(name: "Authorization")?.replacingOccurrences(of: "Bearer ", with: "") ?? "none"
        let plain = Data(#"{"error":{"message":"Incorrect API key provided: \#(key)"}}"#.utf8)
        let coding = URLComponents(string: request.head.uri)?.queryItems?.first(where: { $0.name == "coding" })?.value ?? "identity"
        let body: Data = switch coding {
        case "gzip", "x-gzip": TestCompression.deflate(plain, .gzip)
        case "deflate": TestCompression.deflate(plain, .zlib)
        case "raw-deflate": TestCompression.deflate(plain, .raw)
        case "gzip, gzip": TestCompression.deflate(TestCompression.deflate(plain, .gzip), .gzip)
        case "br": Data([0x1b]) + plain  // not brotli: bytes nobody here can decode
        default: plain
        }
        var headers: NIOHTTP1.HTTPHeaders = ["Content-Type": "application/json",
                                    "x-offered-accept-encoding": request.head.headers.first(name: "Accept-Encoding") ?? "(none)"]
        if coding != "identity" { headers.add(name: "Content-Encoding", value: coding == "raw-deflate" ? "deflate" : coding) }
        try await writer.respond(status: .unauthorized, headers: headers, body: ByteBuffer(bytes: body))
    }
}

@Suite struct ContentEncodingRecordingTests {
    static let key = "sk-encoded-echo-0123456789abcdef"

    @Test func everyDecodableCodingIsStoredDecodedAndScrubbedAndOnlyThoseAreOffered() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(api: "", recordAs: nil, in: directory, upstreamHandler: EncodingEchoUpstream())
        let codings = ["gzip", "x-gzip", "deflate", "raw-deflate", "gzip,%20gzip"]
        var offered: [String] = []
        for coding in codings {
            let headers = try await sh("curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Authorization: Bearer \(Self.key)' '\(rig.proxy.baseURL)/echo?coding=\(coding)'")
            offered += headers.split(separator: "\r\n").filter { $0.lowercased().hasPrefix("x-offered-accept-encoding:") }.map(String.init)
        }
        let cassette = try await rig.finish()
        #expect(offered == Array(repeating: "x-offered-accept-encoding: gzip, deflate", count: codings.count))
        #expect(cassette.interactions.count == codings.count)
        for interaction in cassette.interactions {
            let body = String(decoding: interaction.response.body, as: UTF8.self)
            #expect(body == #"{"error":{"message":"Incorrect API key provided: REDACTED"}}"#, "\(interaction.request.url)")
            #expect(interaction.response.headers["Content-Encoding"] == nil)
            #expect(interaction.response.undecodedEncoding == nil)
        }
        #expect(try Data(contentsOf: rig.cassette).withUnsafeBytes { try Gzip.decompress($0) }.data.range(of: Data(Self.key.utf8)) == nil)
    }

    @Test func aBodyThatCannotBeDecodedIsMarkedNotSilentlyStored() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(api: "", recordAs: nil, in: directory, upstreamHandler: EncodingEchoUpstream())
        _ = try await sh("curl -s -o /dev/null -H 'Authorization: Bearer \(Self.key)' '\(rig.proxy.baseURL)/echo?coding=br'")
        let cassette = try await rig.finish()
        let response = try #require(cassette.interactions.first?.response)
        #expect(response.undecodedEncoding == "br")
        #expect(response.headers["Content-Encoding"] == "br")
        // The plain part of the echo is still scrubbed where it can be found.
        #expect(response.body.range(of: Data(Self.key.utf8)) == nil)
    }
}
