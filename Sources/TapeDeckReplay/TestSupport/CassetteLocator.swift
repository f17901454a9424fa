public import Foundation
public import TapeDeck

/// Where a cassette is looked for by name.
///
/// ```swift
/// .folder(URL(fileURLWithPath: "/path/to/cassettes"))    // a folder you name
/// .bundle(.module)                                        // a bundle's resources
/// .packageCassettes()                                     // <package root>/cassettes, found from #filePath
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

    /// The `cassettes` folder at the root of the package that holds the calling file: the first
    /// folder above `filePath` that has a `Package.swift`.
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
        let file = name.hasSuffix(".tape") ? name : name + ".tape"
        let base = String(file.dropLast(5))
        switch place {
        case .folder(let folder):
            return try existing(folder.appendingPathComponent(file), name: name, mayCreate: mayCreate)
        case .bundle(let bundle):
            if let url = bundle.url(forResource: base, withExtension: "tape") ?? bundle.url(forResource: base, withExtension: "tape", subdirectory: "cassettes") {
                return url
            }
            throw ReplayError(.cassetteNotFound, cassette: file,
                reason: "no cassette '\(name)' in the resources of bundle \(bundle.bundlePath) (looked at its root and in cassettes/)")
        case .packageFolder(let filePath):
            var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            while folder.path != "/" {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                    return try existing(folder.appendingPathComponent("cassettes").appendingPathComponent(file), name: name, mayCreate: mayCreate)
                }
                folder.deleteLastPathComponent()
            }
            throw ReplayError(.cassetteNotFound, cassette: file,
                reason: "no Package.swift above \(filePath), so there is no package cassettes/ folder to look in; name a folder or bundle instead")
        }
    }

    /// The file for cassette `name` when opened in `mode`: one that does not exist yet is
    /// accepted when the mode in force (`TAPEDECK_MODE` first) records.
    package func url(forCassette name: String, mode: ReplayMode, environment: [String: String]) throws(ReplayError) -> URL {
        let recording = environment[ReplayMode.environmentVariable].map { $0.hasPrefix("record") } ?? mode.records
        return try url(forCassette: name, mayCreate: recording)
    }

    private func existing(_ url: URL, name: String, mayCreate: Bool) throws(ReplayError) -> URL {
        guard mayCreate || FileManager.default.fileExists(atPath: url.path) else {
            let folder = url.deletingLastPathComponent()
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".tape") }.sorted()
            throw ReplayError(.cassetteNotFound, cassette: url.path,
                reason: "no cassette '\(name)' here; \(known.isEmpty ? "the folder has no cassettes" : "the folder has: " + known.joined(separator: ", "))")
        }
        return url
    }
}

extension CassettePlayer {
    /// Loads the cassette called `name` from `location` (by default the calling package's
    /// `cassettes/` folder).
    ///
    /// ```swift
    /// let player = try CassettePlayer(named: "deepseek-models")
    /// ```
    public convenience init(named name: String, from location: CassetteLocation = .packageCassettes(), mode: ReplayMode = .replay,
                            timing: ReplayTiming = .instant, matching: MatchConfiguration = .standard) throws(ReplayError) {
        let url = try location.url(forCassette: name, mode: mode, environment: ProcessInfo.processInfo.environment)
        try self.init(contentsOf: url, mode: mode, timing: timing, matching: matching)
    }
}
