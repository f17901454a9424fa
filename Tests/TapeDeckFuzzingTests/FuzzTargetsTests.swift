import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck
import TapeDeckFuzzing

/// The fuzz targets on every committed regression input, and on seeded mutations of real files:
/// each input is loaded or refused, and the test process is still alive to say so.
@Suite struct FuzzTargetsTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("cassettes")

    static func regression(_ name: String) throws -> Data {
        try Data(contentsOf: regressions.appendingPathComponent(name))
    }

    static var regressionNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: regressions.path)) ?? []).filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test func everyRegressionInputIsRefusedOrLoadedWithoutCrashing() throws {
        #expect(Self.regressionNames.count >= 13)
        var loaded: [String] = []
        for name in Self.regressionNames {
            let data = try Self.regression(name)
            let accepted: Bool
            switch name.split(separator: "-").first {
            case "cassette": accepted = FuzzTargets.cassette(data)
            case "lines": accepted = FuzzTargets.cassetteLines(data)
            case "har": accepted = FuzzTargets.har(data)
            case "fault": accepted = FuzzTargets.faultRule(data)
            default:
                Issue.record("\(name): the file name must start with cassette-, lines-, har- or fault-")
                continue
            }
            if accepted { loaded.append(name) }
        }
        // Only the well-formed hostile files load: the far-away chunk time, a 1 ms fault delay that
        // reads back as itself, and HAR chunks that
        // are dropped (the interaction itself is fine).
        #expect(loaded == ["cassette-chunk-ms-max.tape", "fault-tiny-delay.txt", "har-chunk-overflow.har", "har-negative-chunks.har"])
    }

    @Test func chunkSizesThatOverflowWhenSummedAreAnInvalidFieldNamingTheLine() throws {
        let error = #expect(throws: TapeDeckError.self) {
            try Cassette(gzipData: Self.regression("cassette-chunk-overflow.tape"), path: "x.tape")
        }
        #expect(error?.kind == .invalidField)
        #expect(error?.description.hasPrefix("x.tape:line 2: \"response.chunks\" sizes add up to more than the body's 2 bytes (at chunks[0])") == true)
    }

    @Test func aTrailerClaimingGigabytesAllocatesNothingOfThatSize() throws {
        for name in ["cassette-trailer-claims-4gib.tape", "cassette-lying-trailer.tape"] {
            // Within a 64 KiB limit: an allocation sized by the trailer would be refused here.
            let result = Result { try Cassette(gzipData: Self.regression(name), path: name, limits: CassetteLimits(maximumRawBytes: 64 << 10)) }
            if case .failure(let error as TapeDeckError) = result {
                #expect(error.kind == .corruptGzip, "\(name): \(error)")
            } else if case .success(let cassette) = result {
                #expect(!cassette.warnings.isEmpty, "\(name) is cut short, so it loads only with a warning")
            }
        }
    }

    @Test func aGzipBombIsRefusedAtTheLimitNamingTheFileTheLimitAndHowToRaiseIt() throws {
        let file = Self.regressions.appendingPathComponent("cassette-bomb-1gib.tape")
        let error = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: file, limits: CassetteLimits(maximumRawBytes: 8 << 20)) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.description == "\(file.path): refused: it inflates to more than 8388608 bytes (the limit for one cassette). If the file is genuine, raise the limit with TAPEDECK_MAX_CASSETTE_BYTES=<bytes> or --max-cassette-bytes")
        // The default limit (1 GiB) stops it too: it inflates to 1.03 GiB.
        let defaultError = #expect(throws: TapeDeckError.self) { try Cassette(contentsOf: file, limits: CassetteLimits()) }
        #expect(defaultError?.kind == .tooLarge)
    }

    @Test func theLimitComesFromTheEnvironmentAndABadValueIsAClearError() throws {
        #expect(try CassetteLimits.current(["TAPEDECK_MAX_CASSETTE_BYTES": "2G"]).maximumRawBytes == 2 << 30)
        #expect(try CassetteLimits.current([:]).maximumRawBytes == 1 << 30)
        let error = #expect(throws: TapeDeckError.self) { try CassetteLimits.current(["TAPEDECK_MAX_CASSETTE_BYTES": "lots"]) }
        #expect(error?.kind == .invalidLimit)
        #expect(error?.description.contains("TAPEDECK_MAX_CASSETTE_BYTES=lots is not a byte count") == true)
        #expect(CassetteLimits.parseByteCount("99999999999G") == nil, "an overflow is not a byte count")
    }

    @Test func replayPausesAreClampedWhateverTheFileOrScaleSays() {
        #expect(ResponseChunk.pause(before: .max, after: 0, scale: 1) == .seconds(600))
        #expect(ResponseChunk.pause(before: .max, after: 0, scale: .infinity) == .zero, "a non-finite scale never waits")
        #expect(ResponseChunk.pause(before: 100, after: 0, scale: .nan) == .zero)
        #expect(ResponseChunk.pause(before: 100, after: 0, scale: -1) == .zero)
        #expect(ResponseChunk.pause(before: 100, after: 40, scale: 0.5) == .milliseconds(30))
        #expect(ResponseChunk.pause(before: 10, after: 40, scale: 1) == .zero)
    }

    // MARK: Seeded mutations

    /// One random edit of `bytes`: flip, insert a hostile token, delete or duplicate a span, cut.
    static func mutate(_ bytes: [UInt8], with random: inout SplitMix) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var out = bytes
        let tokens = ["9223372036854775807", "-1", "1e999", "\"", "\\", "\\u", "[", "{", "}", "]", ",", ":", "null", "\n", "\u{0}", "\u{ff}"]
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let at = Int.random(in: 0..<max(1, out.count), using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: out[min(at, out.count - 1)] ^= UInt8.random(in: 1...255, using: &random)
            case 1: out.insert(contentsOf: Array(tokens.randomElement(using: &random)!.utf8), at: at)
            case 2: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...32, using: &random)))
            case 3: out.insert(contentsOf: out[at..<min(out.count, at + Int.random(in: 1...64, using: &random))], at: at)
            default: out = Array(out[..<at])
            }
            if out.isEmpty { return out }
        }
        return out
    }

    @Test func seededMutationsOfTheShippedCassettesNeverCrashAnyTarget() throws {
        var random = SplitMix(state: 20261123)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.shipped.path).filter { $0.hasSuffix(".tape") }.sorted()
        try #require(files.count >= 5)
        var counts = (runs: 0, loaded: 0)
        for file in files {
            let compressed = [UInt8](try Data(contentsOf: Self.shipped.appendingPathComponent(file)))
            let lines = try [UInt8](Cassette(contentsOf: Self.shipped.appendingPathComponent(file)).encodedLines())
            for _ in 0..<300 {
                counts.runs += 2
                if FuzzTargets.cassetteLines(Data(Self.mutate(lines, with: &random))) { counts.loaded += 1 }
                if FuzzTargets.cassette(Data(Self.mutate(compressed, with: &random))) { counts.loaded += 1 }
            }
        }
        // Both outcomes happen: the mutations reach past the first check.
        #expect(counts.runs == files.count * 600)
        #expect(counts.loaded > 0 && counts.loaded < counts.runs, "\(counts)")
    }

    @Test func seededMutationsOfFaultRulesReadBackAsThemselvesOrAreRefused() {
        var random = SplitMix(state: 20261202)
        let seeds = ["GET /models status=429 header=Retry-After:1 times=1", "POST /chat/* delay=2s every=3", "/v1/* drop-after=40",
                     "DELETE /files/x status=503 header=Retry-After:2 header=X-Reason:maintenance", "get /models delay=1.5s"]
        var counts = (runs: 0, parsed: 0)
        for seed in seeds {
            for _ in 0..<400 {
                counts.runs += 1
                if FuzzTargets.faultRule(Data(Self.mutate(Array(seed.utf8), with: &random))) { counts.parsed += 1 }
            }
        }
        #expect(seeds.allSatisfy { FuzzTargets.faultRule(Data($0.utf8)) })
        #expect(counts.parsed > 0 && counts.parsed < counts.runs, "\(counts)")
    }
}
