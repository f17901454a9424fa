package import Testing

/// The name a cassette gets when a test does not give one: the test as its framework identifies
/// it, in a spelling every file system accepts.
///
/// - Swift Testing: the names of the enclosing suites and of the test function, without its
///   argument labels, joined by `.`: `ModelCatalogTests.listsModels` for
///   `@Test func listsModels()` in `struct ModelCatalogTests`; a suite alone is `ModelCatalogTests`.
/// - XCTest (`withCassette` with no name): the test file's name and the test method's,
///   `ModelCatalogTests.testListsModels` for `func testListsModels()` in `ModelCatalogTests.swift`
///   (a method cannot name its class at compile time; the file usually bears it).
///
/// Every character other than an ASCII letter, digit, `-` or `_` in a part becomes `_`. Letter
/// case is kept: on a Mac's case-insensitive disk, two tests whose names differ only in case
/// would share one file, so give those a name.
package enum TestCassetteName {
    /// The name for a Swift Testing test or suite.
    package static func forTest(_ test: Test) -> String {
        #if compiler(>=6.3)
        spelled(test.id.nameComponents)
        #else
        spelled([String(describing: test.id)])  // `nameComponents` is public from Swift 6.3
        #endif
    }

    /// The name for the running test: the Swift Testing test's, else the XCTest method's.
    package static func forRunningTest(fileID: String, function: String) -> String {
        if let test = Test.current { return forTest(test) }
        return forXCTest(fileID: fileID, function: function)
    }

    /// The name for an XCTest method, from `#fileID` and `#function`.
    package static func forXCTest(fileID: String, function: String) -> String {
        var file = fileID.split(separator: "/").last.map(String.init) ?? fileID
        if file.hasSuffix(".swift") { file.removeLast(6) }
        return spelled([file, function])
    }

    /// `parts` without argument lists, each made safe, joined by `.`.
    static func spelled(_ parts: [String]) -> String {
        let safe = parts.map { part -> String in
            let bare = part.split(separator: "(", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? part
            return String(String.UnicodeScalarView(bare.unicodeScalars.map { scalar in
                scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
                    ? scalar : "_"
            }))
        }.filter { !$0.isEmpty }
        return safe.isEmpty ? "test" : safe.joined(separator: ".")
    }
}
