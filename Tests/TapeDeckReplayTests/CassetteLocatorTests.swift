import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck
import TapeDeckReplay

@Suite struct CassetteLocatorTests {
    @Test func aFolderIsSearchedWithOrWithoutTheExtension() throws {
        let directory = try TemporaryDirectory()
        let written = try Cassettes.write(Cassettes.gateway, to: directory)
        #expect(try CassetteLocation.folder(directory.url).url(forCassette: "gateway-models") == written)
        #expect(try CassetteLocation.folder(directory.url).url(forCassette: "gateway-models.tape") == written)
    }

    @Test func aMissingNameListsWhatTheFolderHas() throws {
        let directory = try TemporaryDirectory()
        _ = try Cassettes.write(Cassettes.gateway, to: directory)
        let error = #expect(throws: ReplayError.self) { try CassetteLocation.folder(directory.url).url(forCassette: "gatway-models") }
        #expect(error?.kind == .cassetteNotFound)
        #expect(error?.description.contains("gatway-models.tape") == true)
        #expect(error?.description.contains("the folder has: gateway-models.tape") == true)
    }

    @Test func thePackageFolderIsFoundAboveTheCallingFile() throws {
        let directory = try TemporaryDirectory()
        try Data("// swift-tools-version:6.1\n".utf8).write(to: directory.file("Package.swift"))
        let cassettes = directory.file("cassettes")
        try FileManager.default.createDirectory(at: cassettes, withIntermediateDirectories: true)
        try Cassettes.gateway.write(to: cassettes.appendingPathComponent("gateway-models.tape"))
        let testFile = directory.file("Tests/SomeTests/SomeTests.swift").path
        let found = try CassetteLocation.packageCassettes(filePath: testFile).url(forCassette: "gateway-models")
        #expect(found.path == cassettes.appendingPathComponent("gateway-models.tape").path)
    }

    @Test func aBundlesResourcesAreSearched() throws {
        let directory = try TemporaryDirectory()
        _ = try Cassettes.write(Cassettes.gateway, to: directory)
        let bundle = try #require(Bundle(path: directory.url.path))
        let found = try CassetteLocation.bundle(bundle).url(forCassette: "gateway-models")
        #expect(found.lastPathComponent == "gateway-models.tape")
        #expect(throws: ReplayError.self) { try CassetteLocation.bundle(bundle).url(forCassette: "absent") }
    }
}
