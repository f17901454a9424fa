package import Foundation
import TapeDeck

/// A cassette file as it was before a test that may record into it, so that what a failed test
/// recorded can be taken back: the old bytes are written back (atomically), or a file the test
/// created is removed. Cassettes are small (kilobytes to a few megabytes), so a copy in memory is
/// the simplest thing that cannot lose data.
package struct CassetteSnapshot: Sendable {
    let url: URL
    /// The file's bytes, or `nil` when there was no file.
    let bytes: Data?

    /// The snapshot a test in `configuration` needs: only when the mode in force records and
    /// failed recordings are not kept.
    package static func take(of url: URL, for configuration: ReplayConfiguration, environment: [String: String]) -> CassetteSnapshot? {
        guard !configuration.keepFailedRecordings, ReplayMode.inForce(configuration.mode, environment: environment).records else { return nil }
        return CassetteSnapshot(url: url, bytes: FileManager.default.contents(atPath: url.path))
    }

    /// Puts the file back as it was (through the format's own atomic replace, which keeps a link a
    /// link and the file's mode), and says so on standard error.
    func restore() throws(ReplayError) {
        let failed = { (why: String) in
            ReplayError(.cassette, cassette: url.path, reason: "the test failed, and what it recorded could not be taken back: \(why)")
        }
        if let bytes {
            do throws(TapeDeckError) {
                try FileIO.replaceAtomically(url.path, with: Array(bytes))
            } catch {
                throw failed(error.reason)
            }
        } else if FileManager.default.fileExists(atPath: url.path) {
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw failed(error.localizedDescription)
            }
        }
        FileHandle.standardError.write(Data("TapeDeck: the test failed; what it recorded into \(url.path) was discarded (keepFailedRecordings keeps it)\n".utf8))
    }
}
