import ArgumentParser
import Foundation
import TapeDeck
import TapeDeckTools

/// Loads a cassette for a command, as one clear line on failure.
func loadCassette(_ path: String) throws -> Cassette {
    do {
        return try Cassette(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw CLIError(error.description)
    }
}
