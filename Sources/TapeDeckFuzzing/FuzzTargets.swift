package import Foundation
package import TapeDeck
import TapeDeckTools

/// What the fuzzers run on each input: everything the command line does with a file it is
/// given, so a crash anywhere on that path is found. Used by the libFuzzer entry point
/// (`Scripts/fuzz.sh`) and by the seeded mutation run and regression cases in the tests.
///
/// Each target returns normally for every input: a refusal is a thrown error caught here.
package enum FuzzTargets {
    /// The limit the fuzzers load with: small, so a bomb is refused quickly.
    package static let limits = CassetteLimits(maximumRawBytes: 16 << 20)

    /// Bytes as a `.tape` file: load, then list, show, scan, export, re-encode, reload, redact.
    /// - Returns: whether the bytes loaded as a cassette.
    @discardableResult
    package static func cassette(_ bytes: Data) -> Bool {
        guard let cassette = try? Cassette(gzipData: bytes, path: "fuzz.tape", limits: limits) else { return false }
        exercise(cassette)
        return true
    }

    /// Bytes as the decompressed JSON Lines of a cassette (gzip-compressed here first), so the
    /// fuzzer's mutations reach the JSON parser and the field decoder instead of the CRC check.
    /// - Returns: whether the bytes loaded as a cassette.
    @discardableResult
    package static func cassetteLines(_ bytes: Data) -> Bool {
        cassette(Data(Gzip.compress([UInt8](bytes), level: 1)))
    }

    /// Bytes as a HAR file: import, redact, and go on as with a cassette.
    /// - Returns: whether the bytes imported as HAR.
    @discardableResult
    package static func har(_ bytes: Data) -> Bool {
        guard bytes.count <= limits.maximumRawBytes, let interactions = try? HAR.interactions(from: bytes) else { return false }
        var redactor = Redactor()
        exercise(Cassette(name: "fuzz", interactions: interactions.map { redactor.redact($0) }))
        return true
    }

    private static func exercise(_ cassette: Cassette) {
        _ = CassetteListing.lines(cassette)
        _ = CassetteListing.fullText(cassette)
        _ = SecretScanner().scan(cassette)
        _ = HAR.export(cassette)
        _ = CassetteDiff.changes(from: cassette, to: cassette)
        for interaction in cassette.interactions {
            _ = interaction.response.bodyPieces
            var elapsed = 0
            for chunk in interaction.response.chunks ?? [] {
                _ = ResponseChunk.pause(before: chunk.milliseconds, after: elapsed, scale: 1)
                elapsed = max(elapsed, chunk.milliseconds)
            }
        }
        var redactor = Redactor()
        let redacted = Cassette(name: cassette.name, interactions: cassette.interactions.map { redactor.redact($0) })
        // What is written must load again.
        if redacted.interactions.allSatisfy({ (try? $0.validate(in: "fuzz.tape")) != nil }) {
            _ = try? Cassette(gzipData: redacted.fileData(), path: "fuzz.tape", limits: limits)
        }
        let playback = Playback(cassette: cassette)
        for interaction in cassette.interactions.prefix(8) { _ = try? playback.play(interaction.request) }
        withExtendedLifetime(playback) {}
    }
}
