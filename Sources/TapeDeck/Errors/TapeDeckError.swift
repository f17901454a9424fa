/// An error from the TapeDeck core: a cassette that cannot be read or written, or a request
/// that no recorded interaction answers.
///
/// Every error names where it happened (the cassette file, the line of JSON, the byte offset)
/// and says what to do. Compare ``kind`` to tell the cases apart:
///
/// ```swift
/// do {
///     let cassette = try Cassette(contentsOf: url)
/// } catch let error as TapeDeckError where error.kind == .invalidJSON {
///     print(error.file ?? "-", error.line ?? 0)
/// }
/// ```
public struct TapeDeckError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, without the details.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        let name: String
        private init(_ name: String) { self.name = name }

        /// The file could not be opened, read or written.
        public static let fileSystem = Kind("fileSystem")
        /// The file does not start with the gzip magic bytes.
        public static let notGzip = Kind("notGzip")
        /// The gzip data is damaged (not merely cut short).
        public static let corruptGzip = Kind("corruptGzip")
        /// A line is not valid JSON, or not UTF-8.
        public static let invalidJSON = Kind("invalidJSON")
        /// The first line is not a TapeDeck cassette header.
        public static let missingHeader = Kind("missingHeader")
        /// The header names a format version this build cannot read.
        public static let unsupportedVersion = Kind("unsupportedVersion")
        /// A required field is absent.
        public static let missingField = Kind("missingField")
        /// A field has the wrong type or an impossible value.
        public static let invalidField = Kind("invalidField")
        /// No recorded interaction matches the request.
        public static let noMatch = Kind("noMatch")
        /// Every matching interaction was already played and repeating is switched off.
        public static let exhausted = Kind("exhausted")
        /// The file inflates to more than the reader's limit (``CassetteLimits``).
        public static let tooLarge = Kind("tooLarge")
        /// A limit given in the environment or on a command line is not a byte count.
        public static let invalidLimit = Kind("invalidLimit")
        /// The values given to a stub (``Stub``) cannot make a valid answer.
        public static let invalidStub = Kind("invalidStub")

        public var description: String { name }

        /// Every kind, in the order of their ``TapeDeckError/errorCode`` (append only).
        static let all: [Kind] = [.fileSystem, .notGzip, .corruptGzip, .invalidJSON, .missingHeader, .unsupportedVersion,
                                  .missingField, .invalidField, .noMatch, .exhausted, .tooLarge, .invalidLimit, .invalidStub]
    }

    /// What went wrong.
    public let kind: Kind
    /// The cassette file involved, if any.
    public let file: String?
    /// The 1-based line of the decompressed JSON Lines stream, if the error is about one line.
    public let line: Int?
    /// The byte offset in the file, if the error is about a place in the compressed bytes.
    public let offset: Int?
    /// The explanation, without the file and line (``description`` adds them).
    public let reason: String

    package init(_ kind: Kind, file: String? = nil, line: Int? = nil, offset: Int? = nil, reason: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.offset = offset
        self.reason = reason
    }

    /// A one-line (or, for a miss, multi-line) message a person can act on.
    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        if let line { place.append("line \(line)") }
        if let offset { place.append("byte \(offset)") }
        return place.isEmpty ? reason : place.joined(separator: ":") + ": " + reason
    }

    package func at(file: String) -> TapeDeckError {
        TapeDeckError(kind, file: file, line: line, offset: offset, reason: reason)
    }

    package func at(line: Int) -> TapeDeckError {
        TapeDeckError(kind, file: file, line: line, offset: offset, reason: reason)
    }
}
