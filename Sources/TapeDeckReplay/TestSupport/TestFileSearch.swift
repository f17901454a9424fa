import Foundation

/// Where the cassettes of a test file are on disk: the package's `cassettes` folder, or, with no
/// `Package.swift` above the file (an Xcode project), the nearest `cassettes` folder above it.
/// What ``CassetteLocation/packageCassettes(filePath:)`` looks in before the test bundles.
struct TestFileSearch {
    /// The folder that holds the cassettes, if there is one on this machine.
    private(set) var folder: URL?
    /// Where a recording creates `cassettes/` when there is no such folder yet: beside the test
    /// file, if its folder exists here (never on a device).
    private(set) var recordingFolder: URL?
    /// What was looked in, for the error when the cassette is found nowhere.
    private(set) var looked: [String] = []

    init(filePath: String) {
        let start = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        var nearestCassettes: URL?
        var folder = start
        while true {
            let cassettes = folder.appendingPathComponent("cassettes")
            if nearestCassettes == nil, Self.isFolder(cassettes) { nearestCassettes = cassettes }
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                self.folder = cassettes
                looked.append("\(cassettes.path), the package's cassettes folder (\(Self.contents(of: cassettes)))")
                return
            }
            if folder.path == "/" || folder.path.isEmpty { break }
            folder.deleteLastPathComponent()
        }
        if let nearestCassettes {
            self.folder = nearestCassettes
            looked.append("\(nearestCassettes.path), the nearest cassettes folder above \(filePath) (no Package.swift above it; \(Self.contents(of: nearestCassettes)))")
        } else {
            looked.append("the folders above \(filePath): no Package.swift and no cassettes folder"
                + (Self.isFolder(start) ? "" : " (that path is not on this machine: a test running on a device finds cassettes only in its bundle's resources)"))
        }
        if Self.isFolder(start) { recordingFolder = start.appendingPathComponent("cassettes") }
    }

    /// The bundles whose resources may hold a test's cassettes: those loaded in the process (the
    /// `.xctest` bundle and the main bundle among them).
    static func testBundles() -> [Bundle] {
        var seen = Set<String>()
        return (Bundle.allBundles + [Bundle.main]).filter { seen.insert($0.bundlePath).inserted }
    }

    /// "the folder has: a.tape, b.tape", or that it has none.
    static func contents(of folder: URL) -> String {
        let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".tape") }.sorted()
        return known.isEmpty ? "the folder has no cassettes" : "the folder has: " + known.joined(separator: ", ")
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
