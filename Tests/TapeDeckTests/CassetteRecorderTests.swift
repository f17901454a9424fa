import Foundation
import TapeDeckTestSupport
import Testing
@testable import TapeDeck

@Suite struct CassetteRecorderTests {
    private static func interaction(_ url: String, headers: HTTPHeaders = [:], body: String = "{}") -> Interaction {
        Interaction(request: RecordedRequest(method: "GET", url: url, headers: headers),
                    response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(body.utf8)))
    }

    @Test func anExchangeThatFailsDoesNotHoldBackTheOnesAfterIt() {
        let order = ArrivalOrder()
        let first = order.ticket(key: "k"), second = order.ticket(key: "k"), other = order.ticket(key: "other")
        var written: [String] = []
        var own: [Bool] = []
        let record = { (interaction: Interaction, mine: Bool) in written.append(interaction.request.url); own.append(mine) }
        order.finish(other, with: Self.interaction("other"), write: record)
        order.finish(second, with: Self.interaction("second"), write: record)
        #expect(written == ["other"], "another key is not held; the second waits for the first")
        order.finish(first, with: nil, write: record)
        #expect(written == ["other", "second"])
        #expect(own == [true, false], "the second was written by the first's finish, as a held one")
    }

    @Test func identicalRequestsReachTheFileInArrivalOrderWhateverOrderTheyFinish() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("order.tape")
        let recorder = CassetteRecorder(url: file, start: .create(overwrite: false), matching: .standard)
        let url = "https://api.example.com/v1/models"
        let tickets = (0..<4).map { _ in recorder.arrived(RecordedRequest(method: "GET", url: url)) }
        // They finish last first; only the first's finish lets them all through.
        for index in [3, 2, 1] {
            guard case .recorded = await recorder.finish(tickets[index], with: Self.interaction(url, body: "\(index)")) else {
                Issue.record("#\(index) was not accepted")
                return
            }
            #expect(recorder.summary.interactions == 0, "held until the first arrival is done")
        }
        _ = await recorder.finish(tickets[0], with: Self.interaction(url, body: "0"))
        try recorder.close()
        let bodies = try Cassette(contentsOf: file).interactions.map { String(decoding: $0.response.body, as: UTF8.self) }
        #expect(bodies == ["0", "1", "2", "3"])
    }

    @Test func credentialsSeenInOneRequestAreRemovedFromEveryLaterAnswer() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("secrets.tape")
        let recorder = CassetteRecorder(url: file, start: .create(overwrite: false), matching: .standard)
        let key = "sk-live-0123456789abcdef"
        let sent = Self.interaction("https://api.example.com/v1/models", headers: ["Authorization": "Bearer \(key)"], body: #"{"echo":"\#(key)"}"#)
        guard case .recorded(let stored) = recorder.record(sent) else {
            Issue.record("not recorded")
            return
        }
        #expect(!String(decoding: stored.response.body, as: UTF8.self).contains(key))
        let later = Self.interaction("https://api.example.com/v1/other", body: #"{"again":"\#(key)"}"#)
        _ = await recorder.finish(recorder.arrived(later.request), with: later)
        #expect(recorder.shownURL(RecordedRequest(method: "GET", url: "https://api.example.com/v1/x?k=\(key)")).contains(key) == false)
        try recorder.close()
        let raw = try Data(contentsOf: file).withUnsafeBytes { try Gzip.decompress($0) }.bytes
        #expect(!String(decoding: raw, as: UTF8.self).contains(key))
        #expect(recorder.summary.interactions == 2)
        #expect(recorder.summary.credentialKinds.contains(.header("authorization")))
    }

    @Test func afterCloseNothingMoreIsWrittenAndTheFileIsOneMember() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("closed.tape")
        let recorder = CassetteRecorder(url: file, start: .create(overwrite: false), matching: .standard)
        let late = recorder.arrived(RecordedRequest(method: "GET", url: "https://api.example.com/late"))
        _ = recorder.record(Self.interaction("https://api.example.com/first"))
        try recorder.close()
        guard case .dropped = await recorder.finish(late, with: Self.interaction("https://api.example.com/late")) else {
            Issue.record("an exchange finished after close was written")
            return
        }
        let inflated = try Data(contentsOf: file).withUnsafeBytes { try Gzip.decompress($0) }
        #expect(inflated.memberEnds.count == 1)
        #expect(try Cassette(contentsOf: file).interactions.map(\.request.url) == ["https://api.example.com/first"])
    }

    @Test func submittedExchangesAreRedactedAndWrittenInOrderByTheTimeCloseReturns() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("submitted.tape")
        let recorder = CassetteRecorder(url: file, start: .create(overwrite: false), matching: .standard)
        let key = "sk-live-0123456789abcdef"
        for index in 0..<20 {
            recorder.submit(Self.interaction("https://api.example.com/v1/models", headers: ["Authorization": "Bearer \(key)"], body: #"{"n":\#(index),"echo":"\#(key)"}"#))
        }
        try recorder.close()
        let interactions = try Cassette(contentsOf: file).interactions
        let bodies = interactions.map { String(decoding: $0.response.body, as: UTF8.self) }
        #expect(bodies.map { $0.prefix(while: { $0 != "," }) } == (0..<20).map { #"{"n":\#($0)"# }, "in the order submitted")
        #expect(!bodies.contains { $0.contains(key) } && bodies.allSatisfy { $0.contains(Redactor.placeholder) })
        #expect(interactions.allSatisfy { $0.request.headers["Authorization"]?.contains(key) != true }, "the key is gone from the request")
        #expect(recorder.summary.interactions == 20)
    }

    @Test func aSubmittedExchangeTheFileRefusesIsReportedToWriteFailedNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("missing-folder/x.tape")
        let refused = Locked<[String]>([])
        let recorder = CassetteRecorder(url: file, start: .create(overwrite: false), matching: .standard,
                                        writeFailed: { interaction, error in refused.withLock { $0.append("\(interaction.request.url): \(error)") } })
        recorder.submit(Self.interaction("https://api.example.com/v1/models"))
        try recorder.close()
        let reports = refused.withLock { $0 }
        #expect(reports.count == 1)
        #expect(reports.first?.contains("https://api.example.com/v1/models") == true)
        #expect(reports.first?.contains("missing-folder/x.tape") == true)
        #expect(recorder.summary.failures == 1)
    }

    @Test func aFileThatCannotBeCreatedIsReportedByOpenNamingIt() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("missing-folder/x.tape")
        let recorder = CassetteRecorder(url: file, start: .create(overwrite: false), matching: .standard)
        let error = #expect(throws: TapeDeckError.self) { try recorder.open() }
        #expect(error?.description.contains("missing-folder/x.tape") == true)
    }

    @Test func capturedResponsesLoseHopByHopHeadersAndAreDecodedWithChunksOnlyForStreams() throws {
        let json = Data(#"{"a":1}"#.utf8)
        let gzipped = Data(Gzip.compress(Array(json)))
        let (plain, warning) = RecordedResponse.captured(
            status: 200, headers: ["Content-Type": "application/json", "Content-Encoding": "gzip", "Transfer-Encoding": "chunked", "Connection": "keep-alive"],
            body: gzipped, chunks: [ResponseChunk(size: gzipped.count, milliseconds: 3)])
        #expect(warning == nil)
        #expect(plain.body == json)
        #expect(plain.headers["Transfer-Encoding"] == nil && plain.headers["Connection"] == nil && plain.headers["Content-Encoding"] == nil)
        #expect(plain.chunks == nil, "a JSON answer keeps no chunk timing")
        let events = Data("data: 1\n\ndata: 2\n\n".utf8)
        let (stream, _) = RecordedResponse.captured(status: 200, headers: ["Content-Type": "text/event-stream"], body: events,
                                                    chunks: [ResponseChunk(size: 9, milliseconds: 0), ResponseChunk(size: 9, milliseconds: 40)])
        #expect(stream.chunks?.map(\.milliseconds) == [0, 40])
    }
}

@Suite struct UTF8ValidationTests {
    @Test func agreesWithTheStandardLibraryOnValidAndDamagedText() {
        var generator = SplitMix(state: 7)
        let samples = ["", "plain ascii", "héllo wörld", "日本語テキスト", "emoji 🎉 and more", "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}"]
        var checked = 0
        for sample in samples {
            let valid = Array(sample.utf8)
            #expect(valid.withUnsafeBufferPointer(UTF8Validation.isValid))
            // Damage each sample many ways: flipped bits, cuts, stray continuation bytes.
            for _ in 0..<400 where !valid.isEmpty {
                var damaged = valid
                let position = Int(generator.next() % UInt64(damaged.count))
                switch generator.next() % 3 {
                case 0: damaged[position] ^= UInt8(1 << (generator.next() % 8))
                case 1: damaged.removeSubrange(position...)
                default: damaged.insert(UInt8(0x80 + generator.next() % 0x80), at: position)
                }
                let expected = String(validating: damaged, as: UTF8.self) != nil
                #expect(damaged.withUnsafeBufferPointer(UTF8Validation.isValid) == expected, "\(damaged)")
                checked += 1
            }
        }
        for bad: [UInt8] in [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0xaf], [0xff]] {
            #expect(!bad.withUnsafeBufferPointer(UTF8Validation.isValid), "overlong, surrogate, beyond U+10FFFF or impossible: \(bad)")
        }
        #expect(checked > 1_000)
    }
}
