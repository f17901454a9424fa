import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// `--max-cassette-bytes`, for every command that reads a cassette or a HAR file.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-cassette-bytes"),
            help: "Refuse a file that inflates to more than this many bytes (e.g. 2G; default 1G or $TAPEDECK_MAX_CASSETTE_BYTES).")
    var maximum: String?

    func validate() throws {
        if let maximum, CassetteLimits.parseByteCount(maximum) == nil {
            throw ValidationError("--max-cassette-bytes \(maximum) is not a byte count (write e.g. 2147483648, 2048M or 2G)")
        }
        _ = try limits()
    }

    /// The option if given, else the environment variable, else the default.
    func limits() throws -> CassetteLimits {
        if let maximum, let bytes = CassetteLimits.parseByteCount(maximum) { return CassetteLimits(maximumRawBytes: bytes) }
        do {
            return try CassetteLimits.current()
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// Loads a cassette for a command, as one clear line on failure. Errors and warnings name the
/// file as the user spelled it.
func loadCassette(_ path: String, _ options: LimitOptions) throws -> Cassette {
    try loadCassetteAndBytes(path, options).cassette
}

/// Loads a cassette and returns the file's bytes too, read once (for a command that must later
/// tell whether the file changed).
func loadCassetteAndBytes(_ path: String, _ options: LimitOptions) throws -> (cassette: Cassette, bytes: Data) {
    do {
        let limits = try options.limits()
        let bytes = try FileIO.readFile(path, what: "cassette", limit: limits.maximumRawBytes)
        var cassette = try Cassette(gzipData: bytes, path: path, limits: limits)
        cassette.warnings = cassette.warnings.map { warning in
            var named = warning
            named.file = path
            return named
        }
        return (cassette, bytes)
    } catch let error as TapeDeckError {
        throw CLIError(error.at(file: path).description)
    }
}

/// `--port` values a socket can take.
func validatePort(_ port: Int) throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port \(port) must be from 0 to 65535") }
}
