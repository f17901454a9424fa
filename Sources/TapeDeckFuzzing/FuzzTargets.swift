package import Foundation
package import TapeDeck
import TapeDeckFaults
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

    /// Bytes as a `--fault` specification: parse, then check what every rule promises. A rule
    /// reads back as itself from its own spelling (a rule that does not is a bug: it traps, so
    /// the fuzzer reports it), and the plan answers requests without trapping.
    /// - Returns: whether the bytes parsed as a rule.
    @discardableResult
    package static func faultRule(_ bytes: Data) -> Bool {
        guard bytes.count <= 4096, let text = String(data: bytes, encoding: .utf8),
              let rule = try? FaultRule(parsing: text) else { return false }
        let again = try? FaultRule(parsing: rule.description)
        precondition(again == rule, "fault rule '\(text)' reads back from '\(rule.description)' as \(String(describing: again))")
        let plan = FaultPlan([rule])
        for target in ["/", rule.target.path, rule.target.path + "?q=1", rule.target.path + "/x", String(text.prefix(64))] {
            for method in ["GET", rule.target.method ?? "POST"] { _ = plan.fault(method: method, target: target) }
        }
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
