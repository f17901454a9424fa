package import Foundation
package import TapeDeck

/// Drops the recorded interactions nobody played from a cassette file, for a record-missing run
/// with ``ReplayConfiguration/pruneUnplayed``: one rule for the player and the cassette server.
package enum CassettePruning {
    /// Rewrites the cassette at `url` (atomically) without the interactions at `stale`
    /// (0-based positions in the file), and says on standard error how many went.
    ///
    /// - Returns: how many interactions were dropped.
    @discardableResult
    package static func prune(_ url: URL, removing stale: Set<Int>) throws(ReplayError) -> Int {
        guard !stale.isEmpty, FileManager.default.fileExists(atPath: url.path) else { return 0 }
        do throws(TapeDeckError) {
            var cassette = try Cassette(contentsOf: url)
            let before = cassette.interactions.count
            cassette.interactions = cassette.interactions.enumerated().filter { !stale.contains($0.offset) || $0.element.stub != nil }.map(\.element)
            let dropped = before - cassette.interactions.count
            guard dropped > 0 else { return 0 }
            try cassette.write(to: url)
            FileHandle.standardError.write(Data("TapeDeck: pruned \(dropped) unplayed interaction\(dropped == 1 ? "" : "s") from \(url.path)\n".utf8))
            return dropped
        } catch {
            throw ReplayError(error, cassette: url.path)
        }
    }

    /// The positions to drop: the unplayed among the first `loaded` interactions of `playback`
    /// (those read from the file; later ones are recordings or stubs added in code).
    package static func stale(in playback: Playback, loaded: Int) -> Set<Int> {
        Set(playback.unplayed.map(\.index).filter { $0 < loaded })
    }
}
