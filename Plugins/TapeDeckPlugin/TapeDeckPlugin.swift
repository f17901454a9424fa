import Foundation
import PackagePlugin

/// `swift package tapedeck <command> ...`: the command line (target `TapeDeckCLI`, the product
/// `tapedeck-cli`), built from this package,
/// run in the package's folder, for packages that depend on TapeDeck and have not installed it.
///
/// ```bash
/// swift package tapedeck verify cassettes/*.tape
/// swift package tapedeck status cassettes --max-age 60
/// swift package --allow-network-connections all tapedeck drift cassettes/deepseek-models.tape \
///     --header "Authorization: Bearer $DEEPSEEK_API_KEY"
/// ```
///
/// SwiftPM asks for network access (drift reaches the live API) and for writing to the package
/// (drift --update, redact, compact); pass `--allow-network-connections all` and
/// `--allow-writing-to-package-directory` before `tapedeck` to grant them without a prompt.
@main
struct TapeDeckPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "TapeDeckCLI")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            Diagnostics.error("tapedeck \(arguments.first ?? "") exited with status \(process.terminationStatus)")
            throw PluginFailure(status: process.terminationStatus)
        }
    }
}

/// The tool failed; its own output already said why.
struct PluginFailure: Error, CustomStringConvertible {
    var status: Int32
    var description: String { "tapedeck exited with status \(status)" }
}
