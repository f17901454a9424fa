import Testing
@testable import TapeDeck

@Suite struct MatchKeyTests {
    @Test func namesCompareWithoutASCIICaseAndNothingElseIsFolded() {
        #expect("Content-Type".equalsIgnoringASCIICase("content-TYPE"))
        #expect("x-api-key".equalsIgnoringASCIICase("X-API-KEY"[...]))
        #expect(!"accept".equalsIgnoringASCIICase("accepts"))
        #expect(!"a".equalsIgnoringASCIICase("b"))
        // Bytes that differ only in bit 0x20 but are not letters stay different.
        #expect(!"@".equalsIgnoringASCIICase("`"))
        #expect(!"[".equalsIgnoringASCIICase("{"))
        #expect(!"x-1".equalsIgnoringASCIICase("x-\u{11}"))
        // Non-ASCII letters are compared as they are.
        #expect(!"é".equalsIgnoringASCIICase("É"))
        #expect("é".equalsIgnoringASCIICase("é"))
    }

    @Test(arguments: [
        ("https://API.Example.com:443/v1", "api.example.com"),
        ("http://api.example.com:80/v1", "api.example.com"),
        ("http://api.example.com:443/v1", "api.example.com:443"),
        ("https://api.example.com:80/v1", "api.example.com:80"),
        ("HTTPS://API.EXAMPLE.COM:8443", "api.example.com:8443"),
        ("https://ÄPI.example:443/", "äpi.example"),
        ("https://user:pw@Host.example/", "host.example"),
    ])
    func theHostIsLowerCasedWithOnlyItsOwnSchemesDefaultPortLeftOut(url: String, host: String) {
        #expect(RequestURL(url).normalizedHost == host)
        #expect(RequestMatcher.host.key(RecordedRequest(method: "GET", url: url)) == host)
    }

    @Test func theMethodIsUpperCasedAndPartsAreSeparated() {
        let request = RecordedRequest(method: "post", url: "https://h.example/p?b=2&a=1", headers: ["Anthropic-Version": "2023-06-01"])
        let key = Playback.key(request, .standard)
        let parts = key.text.split(separator: "\u{1e}", omittingEmptySubsequences: false)
        #expect(parts == ["POST", "https", "h.example", "/p", "a=1&b=2", "", "anthropic-version=2023-06-01", ""])
        #expect(key == Playback.key(RecordedRequest(method: "POST", url: "HTTPS://H.example:443/p?a=1&b=2", headers: ["anthropic-version": "2023-06-01"]), .standard))
        #expect(key != Playback.key(RecordedRequest(method: "POST", url: "https://h.example/p?a=1&b=2"), .standard))
    }

    @Test func aCustomPartWritesItsKeyAsText() {
        let tenant = RequestMatcher(name: "tenant") { $0.headers["x-tenant"] ?? "none" }
        #expect(tenant.key(RecordedRequest(method: "GET", url: "https://h.example/", headers: ["X-Tenant": "blue"])) == "blue")
        let configuration = MatchConfiguration(matchers: [.method, tenant])
        #expect(Playback.key(RecordedRequest(method: "get", url: "/"), configuration).text == "GET\u{1e}none")
    }
}
