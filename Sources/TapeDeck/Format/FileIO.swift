import Foundation

/// The few POSIX file operations the format needs, with errors that name the file.
enum FileIO {
    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and EINTR.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(TapeDeckError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", path)
            }
            written += result
        }
    }

    /// Replaces `path` with `bytes` atomically: a temporary file beside it, fsync, rename.
    /// A crash at any moment leaves either the old file or the new one, never half of one.
    static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(TapeDeckError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create the temporary file \(temporary)", path) }
        do throws(TapeDeckError) {
            try writeAll(descriptor, bytes, path: temporary)
            guard fsync(descriptor) == 0 else { throw failure("cannot flush \(temporary)", path) }
            close(descriptor)
            guard rename(temporary, path) == 0 else { throw failure("cannot rename \(temporary) over the cassette", path) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        syncDirectory(of: path)
    }

    /// Makes a rename durable by flushing the folder that holds `path`.
    static func syncDirectory(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func failure(_ what: String, _ path: String) -> TapeDeckError {
        TapeDeckError(.fileSystem, file: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
