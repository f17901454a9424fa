import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore
import NIOHTTP1
import Testing
import TapeDeck
import TapeDeckProxy

/// An upstream that numbers the requests it gets and answers odd ones slowly (3 MB over about a
/// second), even
/// ones at once with nothing: the shape that used to swap identical requests in the cassette.
struct CountingUpstream: ExchangeHandler {
    let counter = Locked(0)

    func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let number = counter.withLock { count in count += 1; return count }
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "Content-Type", value: "application/octet-stream")
        head.headers.add(name: "X-Answer", value: String(number))
        try await writer.head(head)
        if number % 2 == 1 {
            let piece = ByteBuffer(repeating: UInt8(ascii: "a") + UInt8(number % 26), count: 150_000)
            for _ in 0..<20 {
                try await Task.sleep(for: .milliseconds(50))
                try await writer.body(piece)
            }
        }
        try await writer.end()
    }
}

@Suite struct RecordingOrderTests {
    @Test func identicalRequestsAreRecordedInTheOrderTheyArrivedWhateverTheirAnswers() async throws {
        let directory = try TemporaryDirectory()
        let rig = try await ProxyRig.start(api: "", recordAs: "https://api.example.com", in: directory, upstreamHandler: CountingUpstream())
        let session = URLSession(configuration: .ephemeral)
        var finishedFirst: [Int] = []
        for pair in 0..<3 {
            // The first of each pair is slow and big. Once its answer is streaming through the
            // proxy (so it surely arrived first), the second is sent; it is fast and empty, and
            // finishes while the first is still streaming.
            let collector = ChunkCollector()
            let streaming = URLSession(configuration: .ephemeral, delegate: collector, delegateQueue: nil)
            streaming.dataTask(with: URL(string: "\(rig.proxy.baseURL)/v1/models")!).resume()
            try await collector.firstArrival()
            let (empty, response) = try await session.data(from: URL(string: "\(rig.proxy.baseURL)/v1/models")!)
            let emptyDone = ContinuousClock.now
            let big = try await collector.finished()
            streaming.finishTasksAndInvalidate()
            #expect(empty.isEmpty && big.chunks.reduce(0) { $0 + $1.data.count } == 3_000_000, "pair \(pair)")
            #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "X-Answer") == String(2 * pair + 2))
            if emptyDone < big.ended { finishedFirst.append(2 * pair + 2) }
        }
        let cassette = try await rig.finish()
        #expect(finishedFirst == [2, 4, 6], "each second request was answered before the first of its pair")
        let recorded = cassette.interactions.map { Int($0.response.headers["X-Answer"] ?? "") ?? 0 }
        #expect(recorded == [1, 2, 3, 4, 5, 6], "the cassette keeps arrival order")
        // ... so replay answers the client's requests in the order it sent them.
        let playback = Playback(cassette: cassette)
        let replayed = try (1...6).map { _ in
            try playback.play(RecordedRequest(method: "GET", url: "https://api.example.com/v1/models")).response.headers["X-Answer"] ?? ""
        }
        #expect(replayed == ["1", "2", "3", "4", "5", "6"])
    }
}
