import Foundation
import Testing
@testable import TapeDeck

@Suite struct RequestURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var scheme: String
        var host: String
        var path: String
        var query: String?
        var testDescription: String { url }
    }

    static let cases: [Case] = [
        Case(url: "https://api.deepseek.com/models", scheme: "https", host: "api.deepseek.com", path: "/models", query: nil),
        Case(url: "HTTPS://API.Example.COM:443/v1/models?page=2", scheme: "https", host: "api.example.com", path: "/v1/models", query: "page=2"),
        Case(url: "http://user:pa@ss@host.example:8080?x=1#frag", scheme: "http", host: "host.example:8080", path: "", query: "x=1"),
        Case(url: "http://host.example:80/a?next=https://other.example/b", scheme: "http", host: "host.example", path: "/a", query: "next=https://other.example/b"),
        Case(url: "https://例え.jp/パス?名前=値", scheme: "https", host: "例え.jp", path: "/パス", query: "名前=値"),
        Case(url: "/relative/path?q", scheme: "", host: "", path: "/relative/path", query: "q"),
        Case(url: "https://h.example/e\u{301}?é=1#x", scheme: "https", host: "h.example", path: "/e\u{301}", query: "é=1"),
        Case(url: "", scheme: "", host: "", path: "", query: nil),
    ]

    @Test(arguments: cases)
    func theURLSplitsIntoItsPartsWithoutNormalisingThem(_ expected: Case) {
        let url = RequestURL(expected.url)
        #expect(url.scheme == expected.scheme)
        #expect(url.normalizedHost == expected.host)
        #expect(url.path == expected.path)
        #expect(url.query.map(String.init) == expected.query)
    }

    @Test func queryItemsAreDecodedInOrderAndEmptyItemsSkipped() {
        let items = RequestURL("https://h.example/p?b=2&&a=x%20y&c&d=&e=1+2").queryItems
        #expect(items.map(\.name) == ["b", "a", "c", "d", "e"])
        #expect(items.map(\.value) == ["2", "x y", "", "", "1 2"])
    }

    @Test func removingQueryItemsKeepsTheRestAsWritten() {
        let (url, removed) = RequestURL.removingQueryItems(from: "https://h.example/p?key=s%2Fk&keep=A%2fb&&x#frag") { $0 == "key" }
        #expect(url == "https://h.example/p?keep=A%2fb&&x#frag")
        #expect(removed.map(\.value) == ["s/k"])
        #expect(removed.map(\.raw) == ["s%2Fk"])
        #expect(RequestURL.removingQueryItems(from: "https://h.example/p") { _ in true }.url == "https://h.example/p")
    }

    @Test func aQueryThatCannotNameACredentialIsNotSplit() {
        let names: Set<String> = ["key", "api_key"]
        #expect(!RequestURL.queryMayName("https://h.example/models?page=2", names))
        #expect(!RequestURL.queryMayName("https://h.example/key/models", names), "only the query counts")
        #expect(!RequestURL.queryMayName("https://h.example/models?ke=1&y=2", names))
        #expect(RequestURL.queryMayName("https://h.example/models?page=2&key=sk-1", names))
        #expect(RequestURL.queryMayName("https://h.example/models?monkey=1", names), "a superset: items are checked after")
        #expect(RequestURL.queryMayName("https://h.example/models?%6Bey=sk-1", names), "an escaped name may be one")
        #expect(!RequestURL.queryMayName("https://h.example/models?key=1", []))
        #expect(!RequestURL.queryMayName("https://h.example/models?", names))
    }

    @Test(arguments: ["page=2", "a=1", "=v", "name=", "k=v=w", "next=https://other.example/b", "名前=値", "x", "a=1&b=2", "b=2&a=1",
                      "a=%20b", "a=b+c", "a=1&&b=2", "&a=1"])
    func theQueryKeyOfOneItemIsTheItemAsWrittenAndOtherwiseTheSortedDecodedItems(query: String) {
        let url = RequestURL("https://h.example/p?" + query)
        let general = url.queryItems.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: "&")
        #expect(RequestMatcher.query.key(RecordedRequest(method: "GET", url: "https://h.example/p?" + query)) == general)
    }
}
