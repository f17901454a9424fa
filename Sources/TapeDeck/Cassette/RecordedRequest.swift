public import Foundation

/// A request as a cassette keeps it: the upstream URL, headers in order, the body's bytes, and
/// the kinds of credential that were removed from it.
public struct RecordedRequest: Hashable, Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The full upstream URL as sent (e.g. `https://api.deepseek.com/models`), credential
    /// query parameters removed.
    public var url: String
    /// The headers, in order, credential headers removed.
    public var headers: HTTPHeaders
    /// The body, or `nil` when the request had none.
    public var body: Data?
    /// The credentials removed from this request before it was stored.
    public var redacted: [CredentialKind]

    /// A request.
    public init(method: String, url: String, headers: HTTPHeaders = [:], body: Data? = nil, redacted: [CredentialKind] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.redacted = redacted
    }
}

extension RecordedRequest: CustomStringConvertible {
    /// `GET https://host/path` plus the credential kinds, for messages.
    public var description: String {
        var text = "\(method) \(url)"
        if !redacted.isEmpty { text += " [credentials: \(redacted.map(\.rawValue).joined(separator: ", "))]" }
        if let body, !body.isEmpty { text += " (body \(body.count) bytes)" }
        return text
    }
}
