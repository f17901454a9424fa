import Foundation
import TapeDeck

/// Opening a cassette for a test, and what is checked and kept when the test ends: one set of
/// rules for `withCassette`, the `.cassette` trait and (through ``verdict(failures:requireAllPlayed:assertAllPlayed:failed:)``
/// and ``CassetteSnapshot``) the cassette server's glue.
package enum CassetteChecks {
    /// A test's player and the file as it was before the test.
    package struct Opened: Sendable {
        package let player: CassettePlayer
        package let snapshot: CassetteSnapshot?
    }

    /// The player for cassette `name`, and the file as it was (when the test may record).
    static func open(_ name: String, from location: CassetteLocation, configuration: ReplayConfiguration,
                     environment: [String: String] = TestEnvironment.variables) throws(ReplayError) -> Opened {
        let url = try location.url(forCassette: name, mode: configuration.mode, environment: environment)
        let snapshot = CassetteSnapshot.take(of: url, for: configuration, environment: environment)
        return Opened(player: try CassettePlayer(contentsOf: url, configuration: configuration, environment: environment), snapshot: snapshot)
    }

    /// ``open(_:from:configuration:)`` off the cooperative pool (it reads files), for async glue.
    static func openInBackground(_ name: String, from location: CassetteLocation, configuration: ReplayConfiguration) async throws(ReplayError) -> Opened {
        // Read here: a task-local does not follow the work onto a dispatch queue.
        let environment = TestEnvironment.variables
        return try await offThePool { () throws(ReplayError) -> Opened in
            try open(name, from: location, configuration: configuration, environment: environment)
        }
    }

    /// Ends a test's player: one message per problem (each failed request, the unplayed
    /// interactions, a recording that could not be finished). A test that failed (`failed`, or
    /// any of these problems) gets its cassette back as it was, unless the configuration keeps
    /// failed recordings; one that passed is pruned when the configuration says so.
    static func end(_ opened: Opened, failed: Bool) -> [String] {
        let player = opened.player
        let pruning = player.configuration.prunes
        var verdict = verdict(failures: player.failures, requireAllPlayed: player.configuration.requireAllPlayed && !pruning,
                              assertAllPlayed: { () throws(ReplayError) in try player.assertAllPlayed() }, failed: failed)
        do throws(ReplayError) {
            try player.finish(pruning: pruning && !verdict.failed)
        } catch {
            verdict.messages.insert(error.description, at: player.failures.count)
            verdict.failed = true
        }
        verdict.messages += takeBack(opened.snapshot, failed: verdict.failed)
        return verdict.messages
    }

    /// What a test's end reports, and whether the test failed.
    package struct Verdict: Sendable {
        package var messages: [String]
        package var failed: Bool
    }

    /// The messages for `failures` and an `assertAllPlayed` that failed (checked only with
    /// `requireAllPlayed`; pruning skips it, the unplayed are dropped instead), and whether the
    /// test failed: `failed` already, or any message.
    package static func verdict(failures: [ReplayError], requireAllPlayed: Bool, assertAllPlayed: () throws(ReplayError) -> Void,
                                failed: Bool) -> Verdict {
        var messages = failures.map(\.description)
        if requireAllPlayed {
            do throws(ReplayError) {
                try assertAllPlayed()
            } catch {
                messages.append(error.description)
            }
        }
        return Verdict(messages: messages, failed: failed || !messages.isEmpty)
    }

    /// Puts the cassette back after a failed test; a message if that failed.
    package static func takeBack(_ snapshot: CassetteSnapshot?, failed: Bool) -> [String] {
        guard failed, let snapshot else { return [] }
        do throws(ReplayError) {
            try snapshot.restore()
            return []
        } catch {
            return [error.description]
        }
    }
}
