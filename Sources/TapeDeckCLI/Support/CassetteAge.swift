import Foundation

/// How old a cassette is: the date of the last commit that changed it when it is in a git
/// repository, else its modification time.
struct CassetteAge {
    var date: Date
    /// `last commit` or `file modified`.
    var source: String
    /// Whole days from `date` to now; 0 for a date in the future.
    var days: Int
    /// The date lies in the future (a skewed clock or a forged commit): the age is unknown, so
    /// `--max-age` treats the cassette as stale rather than forever fresh.
    var isInFuture: Bool

    /// - Parameters:
    ///   - file: the path as given (asked of git: the link is what is committed).
    ///   - resolved: the file a link points to (its modification time is the one that counts).
    init(of file: String, resolved: String, now: Date) {
        if let committed = Self.lastCommit(of: file) {
            (date, source) = (committed, "last commit")
        } else {
            date = (try? FileManager.default.attributesOfItem(atPath: resolved)[.modificationDate] as? Date) ?? now
            source = "file modified"
        }
        // A minute of slack for clocks a little apart.
        isInFuture = date.timeIntervalSince(now) > 60
        days = isInFuture ? 0 : max(0, Int(now.timeIntervalSince(date) / 86_400))
    }

    /// "12 days old (last commit)", or what is wrong with the date.
    var text: String {
        if isInFuture { return "dated in the future (\(ISO8601DateFormatter().string(from: date)), \(source)): age unknown" }
        return "\(days) day\(days == 1 ? "" : "s") old (\(source))"
    }

    /// The date of the last commit that changed `file`. The name is passed to git as a literal
    /// path (`--literal-pathspecs`), so `[12]`, `*` or `:(glob)` in it mean themselves.
    private static func lastCommit(of file: String) -> Date? {
        let folder = (file as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "--literal-pathspecs", "-C", folder.isEmpty ? "." : folder, "log", "-1", "--format=%ct", "--",
                             (file as NSString).lastPathComponent]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let seconds = TimeInterval(text) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
