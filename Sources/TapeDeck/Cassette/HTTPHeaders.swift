/// One header line: a name and a value, as they were on the wire.
public struct HTTPHeader: Hashable, Sendable {
    /// The name, with the case it was sent with.
    public var name: String
    /// The value.
    public var value: String

    /// A header line.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of header lines. Duplicates and order survive a round trip through a cassette;
/// lookups by name ignore case, as HTTP does.
///
/// ```swift
/// var headers: HTTPHeaders = ["Accept": "application/json", "x-api-key": "sk-ant-..."]
/// headers["X-API-KEY"]          // "sk-ant-..."
/// headers.removeAll(named: "x-api-key")
/// ```
public struct HTTPHeaders: Hashable, Sendable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    private var lines: [HTTPHeader]

    /// Headers in the given order.
    public init(_ lines: [HTTPHeader] = []) { self.lines = lines }

    /// Headers from name/value pairs, in the given order.
    public init(_ pairs: [(String, String)]) { lines = pairs.map { HTTPHeader(name: $0.0, value: $0.1) } }

    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    public var startIndex: Int { lines.startIndex }
    public var endIndex: Int { lines.endIndex }
    public subscript(position: Int) -> HTTPHeader { lines[position] }

    /// The first value of the header called `name` (any case), or `nil`.
    public subscript(name: String) -> String? {
        lines.first(where: { $0.name.equalsIgnoringASCIICase(name) })?.value
    }

    /// Every value of the header called `name` (any case), in order.
    public func values(named name: String) -> [String] {
        lines.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// Adds a line at the end.
    public mutating func append(name: String, value: String) { lines.append(HTTPHeader(name: name, value: value)) }

    /// Removes every line called `name` (any case).
    public mutating func removeAll(named name: String) {
        lines.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Removes every line for which `shouldRemove` is true.
    public mutating func removeAll(where shouldRemove: (HTTPHeader) throws -> Bool) rethrows {
        try lines.removeAll(where: shouldRemove)
    }

    /// Headers that belong to one connection, never forwarded nor recorded (RFC 9110 7.6.1),
    /// lower-case. The one list the proxy, the replay library's recorders and drift share.
    package static let hopByHopNames: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "proxy-authenticate",
    ]

    /// Request headers that are neither recorded nor sent on by a recorder or a re-sender, lower
    /// case: the hop-by-hop ones, and those the sending transport sets itself (`Host`, the body's
    /// length, `Expect`). Each sender may leave out more (`Accept-Encoding`, say) for its own reason.
    package static let unforwardedRequestNames: Set<String> = hopByHopNames.union(["host", "content-length", "expect"])

    /// Changes every value in place.
    mutating func mapValues(_ transform: (String) -> String) {
        for index in lines.indices { lines[index].value = transform(lines[index].value) }
    }
}
