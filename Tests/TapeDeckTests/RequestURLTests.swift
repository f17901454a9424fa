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
        #expect(url.query == expected.query)
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
}
