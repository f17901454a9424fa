public import Foundation
public import TapeDeckReplay

/// The list-models cassettes shipped in this package's top-level `cassettes/` folder, for other
/// packages' tests to replay by name.
///
/// ```swift
/// // Package.swift of another package
/// .testTarget(name: "MyTests", dependencies: [
///     .product(name: "TapeDeckReplay", package: "TapeDeck"),
///     .product(name: "TapeDeckCassettes", package: "TapeDeck"),
/// ])
///
/// // a test
/// try await withCassette("deepseek-models", from: SharedCassettes.location) { player in ... }
/// ```
///
/// Shipped: `deepseek-models`, `deepseek-unauthorized`, `gateway-models`, `gemini-models`,
/// `anthropic-models` (`cassettes/README.md` says how each was recorded).
///
/// Nothing is copied: the files are read where SwiftPM checked this package out (found from
/// this source file's path at build time), so a test always replays the package's current
/// cassettes. That needs the package's sources on the machine that runs the tests: true on a
/// Mac and in the simulator, never on a device. There, copy the `.tape` files into the test
/// target's resources: ``location`` then finds them in the test bundle, as
/// `CassetteLocation.packageCassettes(filePath:)` does.
public enum SharedCassettes {
    /// Where the shipped cassettes are: `<TapeDeck checkout>/cassettes`, else the resources of
    /// the test bundle.
    public static var location: CassetteLocation { .packageCassettes(filePath: #filePath) }

    /// The file of the shipped cassette `name`.
    public static func url(named name: String) throws(ReplayError) -> URL {
        try location.url(forCassette: name)
    }
}
