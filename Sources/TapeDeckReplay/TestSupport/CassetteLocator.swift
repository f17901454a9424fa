public import Foundation
import TapeDeck

/// Where a cassette is looked for by name.
///
/// ```swift
/// .folder(URL(fileURLWithPath: "/path/to/cassettes"))    // a folder you name
/// .bundle(.module)                                        // a bundle's resources
/// .packageCassettes()                                     // <package root>/cassettes, found from #filePath,
///                                                         // else the test bundle's resources
/// ```
public struct CassetteLocation: Sendable {
    enum Place: @unchecked Sendable {  // Bundle is immutable once loaded.
        case folder(URL)
        case bundle(Bundle)
        case packageFolder(filePath: String)
    }

    let place: Place

    /// Cassettes in `folder`, as `NAME.tape`.
    public static func folder(_ folder: URL) -> CassetteLocation { CassetteLocation(place: .folder(folder)) }

    /// Cassettes among `bundle`'s resources (at its root or in a `cassettes` folder).
    public static func bundle(_ bundle: Bundle) -> CassetteLocation { CassetteLocation(place: .bundle(bundle)) }

    /// The cassettes of the test file `filePath`, looked for in this order:
    ///
    /// 1. the `cassettes` folder at the root of the package that holds the file (the first folder
    ///    above it with a `Package.swift`);
    /// 2. with no package above it (a test target of an Xcode project), the nearest `cassettes`
    ///    folder above the file;
    /// 3. the resources of the bundles loaded in the test process (`Bundle.allBundles`: the
    ///    `.xctest` bundle and the main bundle), at their root or in a `cassettes` folder. A test
    ///    that runs on a device, where `#filePath` does not exist, finds its cassettes here when
    ///    the test target ships them as resources.
    ///
    /// A recording goes to the first folder of 1 and 2, or to a new `cassettes` folder beside
    /// the test file. A cassette found nowhere is an error listing every place looked in.
    public static func packageCassettes(filePath: String = #filePath) -> CassetteLocation {
        CassetteLocation(place: .packageFolder(filePath: filePath))
    }

    /// The file for cassette `name` (with or without `.tape`).
    ///
    /// - Parameters:
    ///   - name: the cassette's name.
    ///   - mayCreate: return where the file would be even if it does not exist yet (for a
    ///     recording; bundles are read-only and always need the file).
    /// - Throws: ``ReplayError/Kind/cassetteNotFound`` saying where it looked.
    public func url(forCassette name: String, mayCreate: Bool = false) throws(ReplayError) -> URL {
        try url(forCassette: name, mayCreate: mayCreate, bundles: TestFileSearch.testBundles())
    }

    /// The same, searching `bundles` after the folders of a test file.
    func url(forCassette name: String, mayCreate: Bool, bundles: @autoclosure () -> [Bundle]) throws(ReplayError) -> URL {
        let file = name.hasSuffix(".tape") ? name : name + ".tape"
        let base = String(file.dropLast(5))
        switch place {
        case .folder(let folder):
            return try existing(folder.appendingPathComponent(file), name: name, mayCreate: mayCreate)
        case .bundle(let bundle):
            if let url = Self.resource(base, in: bundle) { return url }
            throw ReplayError(.cassetteNotFound, cassette: file,
                reason: "no cassette '\(name)' in the resources of bundle \(bundle.bundlePath) (looked at its root and in cassettes/)")
        case .packageFolder(let filePath):
            let search = TestFileSearch(filePath: filePath)
            if let folder = search.folder {
                let url = folder.appendingPathComponent(file)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            let bundles = bundles()
            if let url = bundles.lazy.compactMap({ Self.resource(base, in: $0) }).first { return url }
            if mayCreate, let folder = search.folder ?? search.recordingFolder { return folder.appendingPathComponent(file) }
            var looked = search.looked
            looked += bundles.map { "the resources of bundle \($0.bundlePath) (its root and cassettes/)" }
            throw ReplayError(.cassetteNotFound, cassette: file,
                reason: "no cassette '\(name)' found; looked in:\n" + looked.map { "  - " + $0 }.joined(separator: "\n")
                    + "\nRecord it (TAPEDECK_MODE=record-missing), check the name, or name a folder or bundle with from:")
        }
    }

    /// `NAME.tape` among `bundle`'s resources, at its root or in `cassettes/`.
    private static func resource(_ base: String, in bundle: Bundle) -> URL? {
        bundle.url(forResource: base, withExtension: "tape") ?? bundle.url(forResource: base, withExtension: "tape", subdirectory: "cassettes")
    }

    /// The file for cassette `name` when opened in `mode`: one that does not exist yet is
    /// accepted when the mode in force (`TAPEDECK_MODE` first) records.
    package func url(forCassette name: String, mode: ReplayMode, environment: [String: String]) throws(ReplayError) -> URL {
        try url(forCassette: name, mayCreate: ReplayMode.inForce(mode, environment: environment).reachesNetwork)
    }

    private func existing(_ url: URL, name: String, mayCreate: Bool) throws(ReplayError) -> URL {
        guard mayCreate || FileManager.default.fileExists(atPath: url.path) else {
            let folder = url.deletingLastPathComponent()
            throw ReplayError(.cassetteNotFound, cassette: url.path, reason: "no cassette '\(name)' here; " + TestFileSearch.contents(of: folder))
        }
        return url
    }
}
