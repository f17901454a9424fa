// swift-tools-version:6.1
import PackageDescription

/// Settings every TapeDeck target shares: Swift 6 language mode is the package default;
/// these add the upcoming features the project holds itself to.
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "TapeDeck",
    // The minimums come from the APIs the libraries use: String(validating:as:) and typed
    // throws in generic code need macOS 15 / iOS 18 and their siblings; Swift Testing is
    // available there too. See the README's Platforms section for what CI checks.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "TapeDeck", targets: ["TapeDeck"]),
        .library(name: "TapeDeckReplay", targets: ["TapeDeckReplay"]),
        .library(name: "TapeDeckCassettes", targets: ["TapeDeckCassettes"]),
        .library(name: "TapeDeckServer", targets: ["TapeDeckServer"]),
        // The command line. Not `tapedeck`: a product whose name differs from the `TapeDeck`
        // library only in letter case breaks builds on case-insensitive disks (the default on
        // macOS) and in Xcode (swift-build PR 982; FluidAudio issue 243). See the README.
        .executable(name: "tapedeck-cli", targets: ["TapeDeckCLI"]),
        // `swift package tapedeck verify|status|show|drift ...` in packages that depend on TapeDeck.
        .plugin(name: "TapeDeckPlugin", targets: ["TapeDeckPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // `swift package generate-documentation` for the DocC catalogs (no runtime dependency).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev). Only the core links it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The core: cassette format, gzip, redaction, matching. Foundation and zlib only.
        .target(
            name: "TapeDeck",
            dependencies: ["CZlib"]
        ),
        // Replay through a custom URLProtocol, for other projects' test targets.
        // Foundation, FoundationNetworking and the core only: no SwiftNIO.
        .target(
            name: "TapeDeckReplay",
            dependencies: ["TapeDeck"]
        ),
        // The shipped cassettes (top-level cassettes/), by name, for other packages' tests.
        .target(
            name: "TapeDeckCassettes",
            dependencies: ["TapeDeckReplay"]
        ),
        .testTarget(
            name: "TapeDeckReplayTests",
            dependencies: ["TapeDeckTestSupport", "TapeDeckReplay", "TapeDeck", "TapeDeckCassettes"]
        ),
        // Fault rules (the `--fault` spelling) and the plan that counts them: Foundation and the
        // core only, so the fuzzers reach the parser without SwiftNIO.
        .target(
            name: "TapeDeckFaults",
            dependencies: ["TapeDeck"]
        ),
        .testTarget(
            name: "TapeDeckFaultsTests",
            dependencies: ["TapeDeckFaults"]
        ),
        // The network side: recording proxy, replay server, the HTTP server and the upstream
        // client. SwiftNIO lives here, in the targets built on it and in the CLI only.
        .target(
            name: "TapeDeckProxy",
            dependencies: [
                "TapeDeck",
                "TapeDeckFaults",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the command line needs beyond recording and replay: the example upstream (an
        // offline stand-in for the APIs) and drift's re-sender. Apart, so that CassetteServer
        // users do not link them.
        .target(
            name: "TapeDeckUpstreamTools",
            dependencies: [
                "TapeDeck",
                "TapeDeckProxy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A cassette served over HTTP in the test's own process (CassetteServer), for clients that
        // do not take a URLSession. SwiftNIO comes in here, through the proxy target.
        .target(
            name: "TapeDeckServer",
            dependencies: [
                "TapeDeck",
                "TapeDeckFaults",
                "TapeDeckReplay",
                "TapeDeckProxy",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TapeDeckServerTests",
            dependencies: [
                "TapeDeckTestSupport",
                "TapeDeckServer",
                "TapeDeckReplay",
                "TapeDeckProxy",
                "TapeDeck",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Cassette inspection and maintenance (show, verify, diff, HAR), no I/O beyond files.
        .target(
            name: "TapeDeckTools",
            dependencies: ["TapeDeck"]
        ),
        .executableTarget(
            name: "TapeDeckCLI",
            dependencies: [
                "TapeDeck",
                "TapeDeckFaults",
                "TapeDeckProxy",
                "TapeDeckTools",
                "TapeDeckUpstreamTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .plugin(
            name: "TapeDeckPlugin",
            capability: .command(
                intent: .custom(verb: "tapedeck", description: "Run the tapedeck command line (verify, status, show, drift, ...) in this package."),
                permissions: [
                    .allowNetworkConnections(scope: .all(), reason: "tapedeck drift re-sends recorded requests to the live API"),
                    .writeToPackageDirectory(reason: "tapedeck drift --update, redact and compact rewrite cassettes in place"),
                ]),
            dependencies: ["TapeDeckCLI"]
        ),
        .testTarget(
            name: "TapeDeckProxyTests",
            dependencies: [
                "TapeDeckTestSupport",
                "TapeDeckProxy",
                "TapeDeckUpstreamTools",
                "TapeDeckReplay",
                "TapeDeck",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command line end to end: the built `tapedeck` binary driven by curl, signals and
        // the openai Python SDK.
        .testTarget(
            name: "TapeDeckCLITests",
            dependencies: ["TapeDeckTestSupport", "TapeDeckCLI", "TapeDeck"]
        ),
        // Helpers every test target shares: temporary folders, shell commands, a chunk collector.
        .target(
            name: "TapeDeckTestSupport",
            dependencies: ["CZlib"],
            path: "Tests/TestSupport"
        ),
        // The README's snippets, compiled and run.
        .testTarget(
            name: "READMETests",
            dependencies: ["TapeDeck", "TapeDeckReplay", "TapeDeckServer"]
        ),
        .testTarget(
            name: "TapeDeckToolsTests",
            dependencies: ["TapeDeckTestSupport", "TapeDeckTools", "TapeDeck"]
        ),
        .testTarget(
            name: "TapeDeckTests",
            dependencies: [
                "TapeDeckTestSupport",
                "TapeDeck",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // What the fuzzers run on each input (Scripts/fuzz.sh, and the mutation and regression
        // tests): the cassette reader and the HAR importer with everything the CLI does next.
        .target(
            name: "TapeDeckFuzzing",
            dependencies: ["TapeDeck", "TapeDeckTools", "TapeDeckFaults"]
        ),
        .testTarget(
            name: "TapeDeckFuzzingTests",
            dependencies: ["TapeDeckTestSupport", "TapeDeckFuzzing", "TapeDeck"],
            exclude: ["Regressions"]
        ),
        // `swift run -c release tapedeck-core-benchmark`: load, append and match figures.
        .executableTarget(
            name: "tapedeck-core-benchmark",
            dependencies: ["TapeDeck", "CZlib"],
            path: "Benchmarks/CoreBenchmark"
        ),
        // `swift run -c release tapedeck-replay-benchmark`: replay through makeSession() next to
        // a minimal fixed-answer URLProtocol.
        .executableTarget(
            name: "tapedeck-replay-benchmark",
            dependencies: ["TapeDeckReplay", "TapeDeck"],
            path: "Benchmarks/ReplayBenchmark"
        ),
        // `swift run -c release tapedeck-proxy-floor PORT MODE`: the cheapest forwarding SwiftNIO
        // allows, with the core's recorder, and through AsyncHTTPClient; Benchmarks/recorder.sh
        // measures it beside `tapedeck-cli record` to split the recorder's cost into its parts.
        .executableTarget(
            name: "tapedeck-proxy-floor",
            dependencies: [
                "TapeDeck",
                "TapeDeckProxy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/ProxyFloor"
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings
}
