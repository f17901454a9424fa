/// A recorded set of HTTP interactions, loaded from or written to a `.tape` file.
///
/// A `.tape` file is gzip of UTF-8 JSON Lines: a header line, then one interaction per line
/// (the format is described in the README). Loading is strict about damage that a crash cannot
/// cause and lenient about the one it can: a file cut short loads with every complete interaction
/// and a ``CassetteWarning``.
///
/// ```swift
/// let cassette = try Cassette(contentsOf: URL(filePath: "cassettes/deepseek-models.tape"))
/// for warning in cassette.warnings { print(warning) }
/// print(cassette.interactions.count)
/// ```
public struct Cassette: Sendable {
    /// The format name in every header line.
    public static let formatName = "tapedeck-cassette"
    /// The format version this build writes and reads.
    public static let formatVersion = 1

    /// The cassette's name (by convention the file name without `.tape`).
    public var name: String
    /// The tool that wrote the file, e.g. `tapedeck 0.1.0`.
    public var writer: String
    /// The interactions, in recorded order.
    public var interactions: [Interaction]
    /// Damage found while loading (a cut-short file). Empty for a whole file.
    public package(set) var warnings: [CassetteWarning] = []

    /// An in-memory cassette.
    public init(name: String, interactions: [Interaction] = [], writer: String = TapeDeckVersion.writer) {
        self.name = name
        self.interactions = interactions
        self.writer = writer
    }

    /// Every credential kind removed from any interaction, sorted.
    public var redactedCredentials: [CredentialKind] {
        Set(interactions.flatMap { $0.request.redacted + $0.response.redacted }).sorted()
    }
}

/// Damage that loading survived: the file, where the damage starts, and what was lost.
public struct CassetteWarning: Sendable, Hashable, CustomStringConvertible {
    /// The cassette file.
    public var file: String
    /// The byte offset in the file where the damaged part starts.
    public var offset: Int
    /// What was found and what was kept.
    public var message: String

    public var description: String { "warning: \(file): byte \(offset): \(message)" }
}

/// The version of TapeDeck, as written in cassette headers.
public enum TapeDeckVersion {
    /// The semantic version.
    public static let current = "0.1.0"
    /// The `writer` value in headers this build writes.
    public static let writer = "tapedeck \(current)"
}
