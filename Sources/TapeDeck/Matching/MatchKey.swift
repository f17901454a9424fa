/// What a request is indexed under for matching: the canonical bytes of each matched part, in
/// the configuration's order, separated. Requests with equal keys are the ones replay answers in
/// recorded order. Written straight into one byte buffer by the matchers, with no string made
/// per part, and hashed as one run of bytes.
package struct MatchKey: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// A key spelled out (tests).
    package init(stringLiteral text: String) { bytes = Array(text.utf8) }

    /// The key as text, for messages and tests.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    package var description: String { text }

    package func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    package static func == (lhs: MatchKey, rhs: MatchKey) -> Bool { lhs.bytes == rhs.bytes }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ text: some StringProtocol) { bytes.append(contentsOf: text.utf8) }

    /// `text` with ASCII letters lower-cased; text holding other letters is lower-cased the
    /// standard library's way, as `asciiLowercased` does.
    mutating func appendLowercased(_ text: Substring) {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return append(text.lowercased()) }
        for byte in text.utf8 { bytes.append(byte.asciiLowercased) }
    }

    /// `text` with ASCII letters upper-cased, the same way.
    mutating func appendUppercased(_ text: String) {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return append(text.uppercased()) }
        for byte in text.utf8 { bytes.append(byte.asciiUppercased) }
    }

    /// The host and port of `url`, lower-case, with the scheme's default port left out.
    mutating func appendHost(of url: RequestURL) {
        var host = url.authority
        let defaultPort: StaticString? = url.scheme.utf8.elementsEqual("https".utf8) ? ":443" : url.scheme.utf8.elementsEqual("http".utf8) ? ":80" : nil
        if let defaultPort {
            let port = UnsafeBufferPointer(start: defaultPort.utf8Start, count: defaultPort.utf8CodeUnitCount)
            if host.utf8.count >= port.count, host.utf8.suffix(port.count).elementsEqual(port) {
                host = host[..<host.utf8.index(host.endIndex, offsetBy: -port.count)]
            }
        }
        appendLowercased(host)
    }
}
