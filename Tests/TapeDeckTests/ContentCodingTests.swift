import Foundation
import TapeDeckTestSupport
import Testing
@testable import TapeDeck

/// Every content coding a recorder may receive is decoded before scrubbing; one it cannot decode
/// is marked, never silently stored as if it had been searched.
@Suite struct ContentCodingTests {
    static let plain = Data(#"{"error":{"message":"Incorrect API key provided: sk-echo-0123456789abcdef"}}"#.utf8)

    @Test(arguments: [
        ("gzip", TestCompression.deflate(plain, .gzip)),
        ("x-gzip", TestCompression.deflate(plain, .gzip)),
        ("deflate", TestCompression.deflate(plain, .zlib)),
        ("deflate", TestCompression.deflate(plain, .raw)),
        ("gzip, gzip", TestCompression.deflate(TestCompression.deflate(plain, .gzip), .gzip)),
        ("deflate, gzip", TestCompression.deflate(TestCompression.deflate(plain, .zlib), .gzip)),
        ("identity", plain),
    ])
    func everyDecodableCodingIsUndoneLayerByLayer(_ coding: String, _ body: Data) throws {
        let response = RecordedResponse(status: 401, headers: ["Content-Type": "application/json", "Content-Encoding": coding, "Content-Length": "\(body.count)"], body: body)
        let (stored, warning) = response.decodedForStorage()
        #expect(warning == nil)
        #expect(stored.body == Self.plain)
        #expect(stored.undecodedEncoding == nil)
        if coding != "identity" { #expect(stored.headers.map(\.name) == ["Content-Type"]) }
    }

    @Test func anUndecodableBodyIsKeptMarkedAndWarnedAbout() {
        let response = RecordedResponse(status: 200, headers: ["Content-Encoding": "br"], body: Data([0x0b, 0x02, 0x80]))
        let (stored, warning) = response.decodedForStorage()
        #expect(stored.undecodedEncoding == "br")
        #expect(stored.headers["Content-Encoding"] == "br", "the bytes still need their coding to be read")
        #expect(warning?.contains("NOT scrubbed") == true)
        #expect(warning?.contains("the coding br cannot be decoded") == true)
        // A damaged gzip body is the same.
        let damaged = RecordedResponse(status: 200, headers: ["Content-Encoding": "gzip"], body: Data([0x1f, 0x8b, 1, 2, 3])).decodedForStorage()
        #expect(damaged.response.undecodedEncoding == "gzip")
    }

    @Test func theMarkerIsWrittenAndReadBack() throws {
        let interaction = Interaction(request: RecordedRequest(method: "GET", url: "https://x.example/a"),
                                      response: RecordedResponse(status: 200, headers: ["Content-Encoding": "br"], body: Data([1, 2, 3]), undecodedEncoding: "br"))
        let data = Cassette(name: "m", interactions: [interaction]).fileData()
        #expect(try Cassette(gzipData: data, path: "m.tape").interactions == [interaction])
    }

    @Test func onlyDecodableCodingsAreOfferedUpstream() {
        #expect(ContentCoding.acceptable("gzip, deflate, br") == "gzip, deflate")
        #expect(ContentCoding.acceptable("br;q=1.0, zstd, x-gzip;q=0.5") == "x-gzip;q=0.5")
        #expect(ContentCoding.acceptable("br") == nil)
        #expect(ContentCoding.acceptable("*") == nil)
        #expect(ContentCoding.acceptable(nil) == nil)
    }

    @Test func aPayloadThatInflatesPastTheLimitIsRefused() {
        let bomb = TestCompression.deflate(Data(count: 4 << 20), .gzip)
        let result = ContentCoding.decode(bomb, contentEncoding: "gzip", limit: 1 << 20)
        guard case .failure(let failure) = result else { Issue.record("decoded past the limit"); return }
        #expect(failure.reason.contains("more than 1048576 bytes"))
    }
}
