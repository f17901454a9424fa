package import Foundation

/// The few POSIX file operations the format needs, with errors that name the file.
package enum FileIO {
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
    ///
    /// - The temporary file is created exclusively (`O_EXCL | O_NOFOLLOW`, an unguessable name),
    ///   so nothing planted at its name, a link least of all, is ever written through.
    /// - A path that is a symbolic link is rewritten at its target; the link stays a link.
    /// - The file keeps its permission bits (and, where allowed, its owner).
    /// - Temporary files left by a rewrite that was killed are removed once their process is gone.
    package static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(TapeDeckError) {
        let target = resolvedTarget(path)
        var existing = stat()
        let exists = stat(target, &existing) == 0
        removeStaleTemporaries(of: target)
        let (descriptor, temporary) = try createTemporary(beside: target, reportingAs: path)
        do throws(TapeDeckError) {
            if exists {
                guard fchmod(descriptor, existing.st_mode & 0o7777) == 0 else { throw failure("cannot set the mode of \(temporary)", path) }
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)  // only root may change it; best effort
            }
            try writeAll(descriptor, bytes, path: temporary)
            guard fsync(descriptor) == 0 else { throw failure("cannot flush \(temporary)", path) }
            close(descriptor)
            guard rename(temporary, target) == 0 else { throw failure("cannot rename \(temporary) over the cassette", path) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        syncDirectory(of: target)
    }

    /// Where a rewrite of `path` must land: the file a symbolic link points to (all links
    /// followed), or `path` itself.
    static func resolvedTarget(_ path: String) -> String {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The prefix of every temporary file of `target`: `NAME.tmp-`.
    static func temporaryPrefix(of target: String) -> String { target + ".tmp-" }

    /// A new temporary file beside `target`, `NAME.tmp-PID-RANDOM`, created exclusively.
    private static func createTemporary(beside target: String, reportingAs path: String) throws(TapeDeckError) -> (Int32, String) {
        for _ in 0..<16 {
            let random = String(UInt64.random(in: .min ... .max), radix: 16)
            let temporary = "\(temporaryPrefix(of: target))\(getpid())-\(random)"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (descriptor, temporary) }
            if errno != EEXIST { throw failure("cannot create the temporary file \(temporary)", path) }
        }
        throw TapeDeckError(.fileSystem, file: path, reason: "cannot create a temporary file beside it: every name tried already exists")
    }

    /// Removes `NAME.tmp-PID-...` files whose process no longer runs (a rewrite killed midway).
    /// A temporary of a live process, or a name that does not parse, is left alone.
    static func removeStaleTemporaries(of target: String) {
        let folder = (target as NSString).deletingLastPathComponent
        let prefix = ((target as NSString).lastPathComponent) + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pidText = name.dropFirst(prefix.count).split(separator: "-").first, let pid = Int32(pidText), pid > 0 else { continue }
            if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
            unlink(folder.isEmpty ? name : folder + "/" + name)
        }
    }

    /// Makes a rename durable by flushing the folder that holds `path`.
    static func syncDirectory(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// The bytes of the regular file at `path`, refusing a folder, a device, or a file larger
    /// than `limit` (checked before anything is read, so nothing is allocated by its size).
    package static func readFile(_ path: String, what: String, limit: Int) throws(TapeDeckError) -> Data {
        // O_NONBLOCK: opening a FIFO named like a cassette must not wait for a writer; the type
        // check below then refuses it. Reads of a regular file ignore the flag.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw TapeDeckError(.fileSystem, file: path, reason: "cannot read the \(what): \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot read the \(what)", path) }
        let type = status.st_mode & S_IFMT
        guard type != S_IFDIR else {
            throw TapeDeckError(.fileSystem, file: path, reason: "this is a folder, not a \(what) file")
        }
        guard type == S_IFREG else {
            throw TapeDeckError(.fileSystem, file: path, reason: "not a regular file, so not a \(what)")
        }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw TapeDeckError(.tooLarge, file: path,
                reason: "refused: the file is \(size) bytes, more than the limit of \(limit); raise it with \(CassetteLimits.environmentVariable)=<bytes> or --max-cassette-bytes")
        }
        var data = Data(count: size)
        var filled = 0
        while filled < size {
            let result = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, size - filled) }
            if result < 0, errno == EINTR { continue }
            guard result >= 0 else { throw failure("cannot read the \(what)", path) }
            if result == 0 { break }  // the file shrank while being read
            filled += result
        }
        if filled < size { data.removeSubrange(filled...) }
        return data
    }

    static func failure(_ what: String, _ path: String) -> TapeDeckError {
        TapeDeckError(.fileSystem, file: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
