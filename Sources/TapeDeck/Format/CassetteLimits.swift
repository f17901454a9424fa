public import Foundation

/// How much a reader accepts from one cassette (or HAR file) before it refuses it.
///
/// Every file is untrusted: a few hostile bytes of gzip can claim or inflate to gigabytes. The
/// reader never sizes an allocation by what a file claims, and stops inflating once
/// ``maximumRawBytes`` of decompressed text have come out, with an error that names the file,
/// the limit and how to raise it.
///
/// ```swift
/// let big = try Cassette(contentsOf: url, limits: CassetteLimits(maximumRawBytes: 4 << 30))
/// ```
///
/// The default (1 GiB, far above any real cassette: 10,000 list-models exchanges are about
/// 50 MB) can be changed for a whole process with the environment variable
/// `TAPEDECK_MAX_CASSETTE_BYTES`, or per command with `tapedeck --max-cassette-bytes`.
public struct CassetteLimits: Hashable, Sendable {
    /// The most decompressed bytes one cassette may hold.
    public var maximumRawBytes: Int

    /// 1 GiB.
    public static let defaultMaximumRawBytes = 1 << 30
    /// The environment variable that overrides ``defaultMaximumRawBytes``.
    public static let environmentVariable = "TAPEDECK_MAX_CASSETTE_BYTES"

    /// Limits of `maximumRawBytes` decompressed bytes (at least 1 KiB).
    public init(maximumRawBytes: Int = CassetteLimits.defaultMaximumRawBytes) {
        self.maximumRawBytes = max(1024, maximumRawBytes)
    }

    /// The limits in force: the environment variable if set, else the default.
    ///
    /// - Throws: ``TapeDeckError/Kind/invalidLimit`` when the variable is not a positive byte count.
    public static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(TapeDeckError) -> CassetteLimits {
        guard let text = environment[environmentVariable] else { return CassetteLimits() }
        guard let bytes = parseByteCount(text) else {
            throw TapeDeckError(.invalidLimit,
                reason: "\(environmentVariable)=\(text) is not a byte count (write e.g. 2147483648, 2048M or 2G)")
        }
        return CassetteLimits(maximumRawBytes: bytes)
    }

    /// `1073741824`, `1024K`, `512M`, `2G` as a byte count; `nil` for anything else or an overflow.
    public static func parseByteCount(_ text: String) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var multiplier = 1
        if let unit = digits.last, let shift = ["k": 10, "m": 20, "g": 30][String(unit).asciiLowercased] {
            multiplier = 1 << shift
            digits = digits.dropLast()
        }
        guard let value = Int(digits), value > 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }

    /// The error for a cassette whose text passes ``maximumRawBytes``.
    func tooLarge(_ path: String?) -> TapeDeckError {
        TapeDeckError(.tooLarge, file: path,
            reason: "refused: it inflates to more than \(maximumRawBytes) bytes (the limit for one cassette). If the file is genuine, raise the limit with \(Self.environmentVariable)=<bytes> or --max-cassette-bytes")
    }
}
