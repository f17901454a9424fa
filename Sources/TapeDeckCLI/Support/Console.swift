import Foundation
import Logging
import TapeDeck

/// Plain, unbuffered output: results on standard output, problems on standard error, each line
/// written at once, so a script can read the first line (the address) as soon as it is printed.
enum Console {
    static func setUp() {
        LoggingSystem.bootstrap { label in PlainLogHandler(label: label) }
    }

    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Whether `host` is a loopback address (anything else exposes a server to the network).
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func warning(_ text: String) {
        FileHandle.standardError.write(Data("tapedeck: warning: \(text)\n".utf8))
    }

    /// A cassette's damage report, with one `warning:` (its description carries its own).
    static func warning(_ warning: CassetteWarning) {
        self.warning("\(warning.file): byte \(warning.offset): \(warning.message)")
    }
}

/// Info and below to standard output as bare lines; warnings and errors to standard error.
struct PlainLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level >= .warning {
            FileHandle.standardError.write(Data("tapedeck: \(event.level): \(event.message)\n".utf8))
        } else {
            Console.line("\(event.message)")
        }
    }
}
