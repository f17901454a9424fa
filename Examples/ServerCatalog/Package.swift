// swift-tools-version:6.1
import PackageDescription

// A consumer of TapeDeck's CassetteServer, as a server-side team would write it: a list-models
// client on AsyncHTTPClient (no URLSession to hand a player), whose XCTest suite replays
// TapeDeck's shipped cassettes through a server started in the test. Depends on TapeDeck by path.
let package = Package(
    name: "ServerCatalog",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [.library(name: "ServerCatalog", targets: ["ServerCatalog"])],
    dependencies: [
        .package(name: "TapeDeck", path: "../.."),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "ServerCatalog",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ServerCatalogTests",
            dependencies: [
                "ServerCatalog",
                .product(name: "TapeDeckServer", package: "TapeDeck"),
                .product(name: "TapeDeckCassettes", package: "TapeDeck"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
