import Foundation

/// The delegate queue of a session made by ``CassettePlayer/makeSession(delegate:configuration:)``:
/// a serial operation queue that holds the player, so the session keeps its player alive.
///
/// A session retains its delegate queue on every platform (`@property (readonly, retain)
/// NSOperationQueue *delegateQueue` in Apple's NSURLSession.h; a stored `delegateQueue` in
/// swift-corelibs-foundation). Subclassing `OperationQueue` is supported on both, unlike
/// subclassing `URLSession`, and it leaves the caller's delegate untouched.
final class PlayerQueue: OperationQueue, @unchecked Sendable {
    /// The player this queue's session replays. Set once, before the session exists.
    let player: CassettePlayer

    init(player: CassettePlayer) {
        self.player = player
        super.init()
        maxConcurrentOperationCount = 1
        name = "TapeDeck player \(player.name)"
    }
}
