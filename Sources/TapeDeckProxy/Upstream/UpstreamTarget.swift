import Foundation

/// Where the proxy forwards to: `https://api.deepseek.com` or `http://127.0.0.1:8081/deepseek`.
package struct UpstreamTarget: Sendable, Equatable {
    package var scheme: String
    package var host: String
    package var port: Int
    /// A path prefix put before every request's path ("" or "/v1", never ending in "/").
    package var basePath: String

    /// Parses an upstream base URL; `http` and `https` only.
    ///
    /// - Parameter option: how error messages name where the URL came from.
    package init(_ string: String, option: String = "--upstream") throws(ProxyError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.asciiLowercased,
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw ProxyError(.invalidUpstream, "\(option) \(string) is not an http:// or https:// URL with a host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ProxyError(.invalidUpstream, "\(option) \(string) must not have a query or fragment")
        }
        self.scheme = scheme
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : 80)
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }

    package var isTLS: Bool { scheme == "https" }

    /// `host` or `host:port` when the port is not the scheme's default, for `Host:` and URLs.
    package var authority: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
    }

    /// The base URL as given, normalised: `https://api.deepseek.com`.
    package var baseURL: String { "\(scheme)://\(authority)\(basePath)" }

    /// The upstream request target for a client's request target (`/models?x=1`).
    package func path(for requestTarget: String) -> String {
        let target = requestTarget.hasPrefix("/") ? requestTarget : "/" + requestTarget
        return basePath + target
    }

    /// The full upstream URL of a client's request target, as recorded in the cassette.
    package func url(for requestTarget: String) -> String { "\(scheme)://\(authority)\(path(for: requestTarget))" }
}
