import Foundation
import TapeDeck

/// A cassette `drift --update` rewrites, with the bytes it had when drift read it.
struct PendingUpdate {
    var file: String
    var cassette: Cassette
    /// The file's bytes when it was read: a file that changed since is not overwritten.
    var original: Data

    /// Whether the file still holds the bytes drift read (read with the same limit and checks).
    func isUnchanged(limit: Int) -> Bool {
        (try? FileIO.readFile(file, what: "cassette", limit: limit)) == original
    }
}

extension DriftCommand {
    /// Rewrites every pending cassette, or none: each is written beside its file first; only
    /// when all were written, and no file changed on disk since drift read it, do they replace
    /// their files (a rename each, keeping the file's permissions). Otherwise the new files are
    /// removed and nothing is replaced.
    func writeAllOrNone(_ pending: [PendingUpdate], limit: Int) throws {
        var staged: [(temporary: URL, target: URL)] = []
        func discard() { staged.forEach { try? FileManager.default.removeItem(at: $0.temporary) } }
        for update in pending {
            // What is written must load again: a cassette past the limit would be refused by show.
            let size = update.cassette.encodedLines().count
            if size > limit {
                throw DriftFailure("\(update.file): the update would be \(size) bytes of text, more than the limit of \(limit) (raise it with --max-cassette-bytes); no cassette was changed")
            }
            let target = URL(fileURLWithPath: update.file)
            let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).drift-\(UUID().uuidString)")
            do {
                try update.cassette.write(to: temporary)
                staged.append((temporary, target))
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                discard()
                throw DriftFailure("\(update.file): cannot write the update (\(error)); no cassette was changed")
            }
        }
        for update in pending where !update.isUnchanged(limit: limit) {
            discard()
            throw DriftFailure("\(update.file) changed on disk while drift ran; no cassette was changed. Run drift --update again")
        }
        for (temporary, target) in staged {
            if let permissions = try? FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] {
                try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
            guard rename(temporary.path, target.path) == 0 else {
                discard()
                throw DriftFailure("\(target.path): cannot replace it (\(String(cString: strerror(errno)))); the files before it in the list were updated")
            }
        }
    }
}
