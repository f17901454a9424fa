import Foundation

/// Where the cassettes of a test file are on disk: the package's `cassettes` folder, or, with no
/// `Package.swift` above the file (an Xcode project), the nearest `cassettes` folder above it.
/// What ``CassetteLocation/packageCassettes(filePath:)`` looks in before the test bundles.
struct TestFileSearch {
    /// The folder that holds the cassettes, if there is one on this machine.
    var folder: URL? {
        switch found {
        case .package(let folder), .nearest(let folder): folder
        case .nothing: nil
        }
    }
    /// Where a recording creates `cassettes/` when there is no such folder yet: beside the test
    /// file, if its folder exists here (never on a device).
    private(set) var recordingFolder: URL?
    /// How the folder was found, for the error when the cassette is found nowhere.
    private enum Found {
        case package(URL)
        case nearest(URL)
        case nothing(onThisMachine: Bool)
    }
    private let found: Found
    private let filePath: String

    init(filePath: String) {
        self.filePath = filePath
        let start = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        if Self.isFolder(start) { recordingFolder = start.appendingPathComponent("cassettes") }
        var nearestCassettes: URL?
        var folder = start
        while true {
            let cassettes = folder.appendingPathComponent("cassettes")
            if nearestCassettes == nil, Self.isFolder(cassettes) { nearestCassettes = cassettes }
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                found = .package(cassettes)
                return
            }
            if folder.path == "/" || folder.path.isEmpty { break }
            folder.deleteLastPathComponent()
        }
        found = nearestCassettes.map { .nearest($0) } ?? .nothing(onThisMachine: Self.isFolder(start))
    }

    /// What was looked in, for the error when the cassette is found nowhere (the folder is
    /// listed only then, not on every lookup).
    var looked: [String] {
        switch found {
        case .package(let folder):
            return ["\(folder.path), the package's cassettes folder (\(Self.contents(of: folder)))"]
        case .nearest(let folder):
            return ["\(folder.path), the nearest cassettes folder above \(filePath) (no Package.swift above it; \(Self.contents(of: folder)))"]
        case .nothing(let onThisMachine):
            return ["the folders above \(filePath): no Package.swift and no cassettes folder"
                + (onThisMachine ? "" : " (that path is not on this machine: a test running on a device finds cassettes only in its bundle's resources)")]
        }
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
