import Foundation
import TapeDeckTestSupport
import Testing
import TapeDeck
@testable import TapeDeckReplay

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

/// The default location where there is no package: an Xcode project's test target, a device.
@Suite struct CassetteLocationOutsidePackagesTests {
    @Test func withNoPackageAboveTheTestFileTheNearestCassettesFolderIsUsed() throws {
        let directory = try TemporaryDirectory()
        let cassettes = directory.file("App/cassettes")
        try FileManager.default.createDirectory(at: cassettes, withIntermediateDirectories: true)
        try Cassettes.gateway.write(to: cassettes.appendingPathComponent("gateway-models.tape"))
        try FileManager.default.createDirectory(at: directory.file("App/AppTests"), withIntermediateDirectories: true)
        let testFile = directory.file("App/AppTests/CatalogTests.swift").path
        let found = try CassetteLocation.packageCassettes(filePath: testFile).url(forCassette: "gateway-models", mayCreate: false, bundles: [])
        #expect(found.path == cassettes.appendingPathComponent("gateway-models.tape").path)
    }

    @Test func aRecordingWithNoCassettesFolderYetGoesBesideTheTestFile() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.file("AppTests"), withIntermediateDirectories: true)
        let testFile = directory.file("AppTests/CatalogTests.swift").path
        let url = try CassetteLocation.packageCassettes(filePath: testFile).url(forCassette: "new-one", mayCreate: true, bundles: [])
        #expect(url.path == directory.file("AppTests/cassettes/new-one.tape").path)
    }

    @Test func aTestFileThatIsNotOnThisMachineFindsTheCassetteInTheTestBundlesResources() throws {
        let resources = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: resources.file("cassettes"), withIntermediateDirectories: true)
        try Cassettes.gateway.write(to: resources.file("cassettes/gateway-models.tape"))
        let bundle = try #require(Bundle(path: resources.url.path))
        // On a device, #filePath names the Mac the tests were built on.
        let location = CassetteLocation.packageCassettes(filePath: "/Users/someone/App/AppTests/CatalogTests.swift")
        let found = try location.url(forCassette: "gateway-models", mayCreate: false, bundles: [bundle])
        #expect(found.lastPathComponent == "gateway-models.tape")
        #expect(try Cassette(contentsOf: found).name == "gateway-models")
    }

    @Test func aCassetteFoundNowhereListsEveryPlaceLookedIn() throws {
        let package = try TemporaryDirectory()
        try Data("// swift-tools-version:6.1\n".utf8).write(to: package.file("Package.swift"))
        try FileManager.default.createDirectory(at: package.file("cassettes"), withIntermediateDirectories: true)
        try Cassettes.gateway.write(to: package.file("cassettes/gateway-models.tape"))
        let resources = try TemporaryDirectory()
        let bundle = try #require(Bundle(path: resources.url.path))
        let location = CassetteLocation.packageCassettes(filePath: package.file("Tests/T/T.swift").path)
        let error = #expect(throws: ReplayError.self) { try location.url(forCassette: "absent", mayCreate: false, bundles: [bundle]) }
        #expect(error?.kind == .cassetteNotFound)
        let message = error?.description ?? ""
        #expect(message.contains("\(package.file("cassettes").path), the package's cassettes folder (the folder has: gateway-models.tape)"), "\(message)")
        #expect(message.contains("the resources of bundle \(bundle.bundlePath) (its root and cassettes/)"), "\(message)")
    }

    @Test func onAMachineWithoutTheSourcesTheMissSaysSo() throws {
        let location = CassetteLocation.packageCassettes(filePath: "/Users/someone/App/AppTests/CatalogTests.swift")
        let error = #expect(throws: ReplayError.self) { try location.url(forCassette: "gateway-models", mayCreate: true, bundles: []) }
        #expect(error?.description.contains("that path is not on this machine") == true, "\(String(describing: error))")
    }
}
