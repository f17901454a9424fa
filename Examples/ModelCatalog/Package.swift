// swift-tools-version:6.1
import PackageDescription

// A consumer of TapeDeck, as another team would write it: a small list-models client whose
// tests replay TapeDeck's shipped cassettes offline. Depends on TapeDeck by path.
let package = Package(
    name: "ModelCatalog",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [.library(name: "ModelCatalog", targets: ["ModelCatalog"])],
    dependencies: [.package(name: "TapeDeck", path: "../..")],
    targets: [
        .target(name: "ModelCatalog"),
        .testTarget(
            name: "ModelCatalogTests",
            dependencies: [
                "ModelCatalog",
                .product(name: "TapeDeckReplay", package: "TapeDeck"),
                .product(name: "TapeDeckCassettes", package: "TapeDeck"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
