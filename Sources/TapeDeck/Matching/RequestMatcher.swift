import Foundation

/// One part of a request that matching compares: a name, the part's canonical form (what is
/// compared and indexed), and how to say what differs when it does not match.
///
/// The presets cover the parts the format knows; a custom part needs only a name and a key:
///
/// ```swift
/// let tenant = RequestMatcher(name: "tenant") { $0.headers["x-tenant"] ?? "" }
/// var configuration = MatchConfiguration.standard
/// configuration.matchers.append(tenant)
/// ```
public struct RequestMatcher: Sendable {
    /// Names the part in miss reports.
    public let name: String
    /// How far apart a difference in this part puts two requests, for ranking near misses
    /// (a different host outweighs a different query parameter).
    let weight: Int
    /// Writes the part's canonical form into a match key: the one definition of the part.
    let write: @Sendable (MatchSubject, inout MatchKey) -> Void
    let differences: @Sendable (_ request: RecordedRequest, _ recorded: RecordedRequest) -> [String]

    /// A part compared through `key`: two requests agree on it when their keys are equal.
    ///
    /// - Parameters:
    ///   - name: the part's name, as miss reports show it.
    ///   - key: the canonical form of the part of a (redacted) request.
    public init(name: String, key: @escaping @Sendable (RecordedRequest) -> String) {
        self.init(name: name, weight: 1) { subject, into in into.append(key(subject.request)) }
    }

    init(name: String, weight: Int, write: @escaping @Sendable (MatchSubject, inout MatchKey) -> Void) {
        self.init(name: name, weight: weight, write: write) { request, recorded in
            let (mine, theirs) = (Self.key(write, request), Self.key(write, recorded))
            return mine == theirs ? [] : ["\(name): \(MissReport.quote(mine)) in the request, \(MissReport.quote(theirs)) recorded"]
        }
    }

    init(name: String, weight: Int, write: @escaping @Sendable (MatchSubject, inout MatchKey) -> Void,
         differences: @escaping @Sendable (RecordedRequest, RecordedRequest) -> [String]) {
        self.name = name
        self.weight = weight
        self.write = write
        self.differences = differences
    }

    /// The part's canonical form in `request`, as text.
    func key(_ request: RecordedRequest) -> String { Self.key(write, request) }

    private static func key(_ write: (MatchSubject, inout MatchKey) -> Void, _ request: RecordedRequest) -> String {
        var key = MatchKey()
        write(MatchSubject(request), &key)
        return key.text
    }

    /// The method, e.g. `GET`.
    public static let method = RequestMatcher(name: "method", weight: 8) { $1.appendUppercased($0.request.method) }

    /// The scheme, `http` or `https`.
    public static let scheme = RequestMatcher(name: "scheme", weight: 8) { $1.append($0.url.scheme) }

    /// The host and port (lower-case, default port left out).
    public static let host = RequestMatcher(name: "host", weight: 8) { $1.appendHost(of: $0.url) }

    /// The path, as sent.
    public static let path = RequestMatcher(name: "path", weight: 4) { subject, key in
        let path = subject.url.path
        if path.isEmpty { key.append(UInt8(ascii: "/")) } else { key.append(path) }
    }

    /// The query parameters, in any order (credential parameters are already removed).
    public static let query = RequestMatcher(name: "query", weight: 1, write: { appendQuery($0.url, to: &$1) }, differences: { request, recorded in
        let mine = RequestURL(request.url).queryItems
        let theirs = RequestURL(recorded.url).queryItems
        var notes: [String] = []
        for name in Set(mine.map(\.name) + theirs.map(\.name)).sorted() {
            let a = mine.filter { $0.name == name }.map(\.value).sorted()
            let b = theirs.filter { $0.name == name }.map(\.value).sorted()
            if a == b { continue }
            if b.isEmpty { notes.append("query parameter \(name): only in the request (\(a.joined(separator: ", ")))") }
            else if a.isEmpty { notes.append("query parameter \(name): only recorded (\(b.joined(separator: ", ")))") }
            else { notes.append("query parameter \(name): \(MissReport.quote(a.joined(separator: ", "))) in the request, \(MissReport.quote(b.joined(separator: ", "))) recorded") }
        }
        return notes
    })

    /// The kinds of credential the request carried (which header or parameter, never the value).
    public static let credentialKinds = RequestMatcher(name: "credentials", weight: 2, write: { appendCredentials($0.request, to: &$1) }, differences: { request, recorded in
        let text = { (request: RecordedRequest) in key({ appendCredentials($0.request, to: &$1) }, request) }
        let (mine, theirs) = (text(request), text(recorded))
        guard mine != theirs else { return [] }
        return ["credentials: the request sent \(mine.isEmpty ? "none" : mine), the recorded one \(theirs.isEmpty ? "none" : theirs)"]
    })

    /// The body: JSON compared as JSON (key order and white space ignored), anything else byte for byte.
    public static let body = RequestMatcher(name: "body", weight: 1, write: { $1.append(bodyKey($0.request.body)) }, differences: { request, recorded in
        BodyDifference.describe(request.body, recorded.body).map { ["body: " + $0] } ?? []
    })

    /// The body as ``body`` compares it, with the JSON fields `paths` name left out of the
    /// comparison and of the miss report (see ``MatchConfiguration/ignoringBodyFields(_:)``).
    static func body(ignoring paths: [JSONFieldPath]) -> RequestMatcher {
        guard !paths.isEmpty else { return .body }
        let skipping = JSONWriter.Skipping(paths)
        return RequestMatcher(name: "body", weight: 1, write: { $1.append(bodyKey($0.request.body, skipping: skipping)) }, differences: { request, recorded in
            BodyDifference.describe(request.body, recorded.body, ignoring: paths).map { ["body: " + $0] } ?? []
        })
    }

    /// The values of the named non-secret headers (any case), e.g. `anthropic-version`.
    public static func headers(_ names: [String]) -> RequestMatcher {
        let names = names.map(\.asciiLowercased)
        return RequestMatcher(name: "headers", weight: 1) { subject, key in
            for (index, name) in names.enumerated() {
                if index > 0 { key.append(0x1f) }
                key.append(name)
                key.append(UInt8(ascii: "="))
                key.append(subject.request.headers.values(named: name).joined(separator: ","))
            }
        } differences: { request, recorded in
            names.compactMap { name in
                let (mine, theirs) = (request.headers.values(named: name), recorded.headers.values(named: name))
                guard mine != theirs else { return nil }
                let show = { (values: [String]) in values.isEmpty ? "absent" : MissReport.quote(values.joined(separator: ", ")) }
                return "header \(name): \(show(mine)) in the request, \(show(theirs)) recorded"
            }
        }
    }

    static func appendQuery(_ url: RequestURL, to key: inout MatchKey) {
        guard let query = url.query, !query.isEmpty else { return }
        // One `name=value` that needs no decoding (`?page=2`, the usual case) is its own key.
        if !query.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }),
           let equals = query.utf8.firstIndex(of: UInt8(ascii: "=")), equals != query.utf8.startIndex {
            return key.append(query)
        }
        key.append(url.queryItems.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: "&"))
    }

    static func appendCredentials(_ request: RecordedRequest, to key: inout MatchKey) {
        switch request.redacted.count {
        case 0: return
        case 1: key.append(request.redacted[0].rawValue)
        default: key.append(Set(request.redacted).sorted().map(\.rawValue).joined(separator: ", "))
        }
    }

    static func bodyKey(_ body: Data?, ignoring paths: [JSONFieldPath] = []) -> String {
        bodyKey(body, skipping: paths.isEmpty ? nil : JSONWriter.Skipping(paths))
    }

    /// The body's key: canonical JSON (without the `skipping` fields), else its text or base64.
    static func bodyKey(_ body: Data?, skipping: JSONWriter.Skipping?) -> String {
        guard let body, !body.isEmpty else { return "" }
        if let json = try? JSONParser.parse(body) {
            var writer = JSONWriter(capacity: body.count)
            if let skipping { writer.canonicalValue(json, skipping: skipping) } else { writer.value(json, sortingKeys: true) }
            return "json:" + String(decoding: writer.bytes, as: UTF8.self)
        }
        if let text = String(data: body, encoding: .utf8) { return "text:" + text }
        return "base64:" + body.base64EncodedString()
    }
}

/// A request as the matchers see it: its URL split once for every part that needs it (the
/// split makes slices of the URL string, no copies).
struct MatchSubject {
    let request: RecordedRequest
    let url: RequestURL

    init(_ request: RecordedRequest) {
        self.request = request
        url = RequestURL(request.url)
    }
}
