import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeck


// Why generic slots: on Linux a protocol class cannot tell which session a request came from
// (a configuration's `httpAdditionalHeaders` never reach it), but two distinct specializations
// of one generic URLProtocol subclass, each in its own configuration's `protocolClasses`, are
// routed separately. Each `configure` call takes a fresh number and builds the type
// `ReplayURLProtocol<Bit1<Bit0<...<Root>>>>` spelling that number in binary, so any number of
// players run side by side in one process without crosstalk.

/// A type that stands for a number, one binary digit per generic level.
protocol ReplaySlot { static var number: Int { get } }
enum SlotRoot: ReplaySlot { static var number: Int { 0 } }
enum SlotBit0<Higher: ReplaySlot>: ReplaySlot { static var number: Int { Higher.number << 1 } }
enum SlotBit1<Higher: ReplaySlot>: ReplaySlot { static var number: Int { Higher.number << 1 | 1 } }

/// Which player answers each slot, and how it delivers bodies.
final class SlotRegistry: Sendable {
    struct Entry: Sendable {
        let player: WeakPlayer
        /// Deliver a streamed body chunk by chunk (for sessions with a data delegate).
        let streaming: Bool
        /// Registered for the whole process: claims only requests to origins its cassette knows.
        var processWide = false
    }

    struct WeakPlayer: @unchecked Sendable {
        // Written once at creation; reading a weak reference is thread-safe.
        weak var value: CassettePlayer?
    }

    static let shared = SlotRegistry()

    /// Entries spread over locks by slot number: every request reads its player's entry (twice),
    /// and players running side by side must not all queue on one lock for it.
    private static let shardCount = 64
    private let shards: [Locked<[Int: Entry]>] = (0..<SlotRegistry.shardCount).map { _ in Locked([:]) }
    private let nextNumber = Locked(1)

    /// A protocol class that sends its requests to `player`.
    func register(_ player: CassettePlayer, streaming: Bool, processWide: Bool = false) -> URLProtocol.Type {
        let number = nextNumber.withLock { next in
            defer { next += 1 }
            return next
        }
        shards[number % Self.shardCount].withLock { entries in
            // Slots of released players answer nothing; forget them.
            entries = entries.filter { $0.value.player.value != nil }
            entries[number] = Entry(player: WeakPlayer(value: player), streaming: streaming, processWide: processWide)
        }
        return Self.protocolClass(for: number)
    }

    func entry(_ number: Int) -> Entry? { shards[number % Self.shardCount].withLock { $0[number] } }

    /// Whether slot `number` is registered for the whole process (asked for every request a
    /// session creates: the entry is not copied, so its weak reference is not touched).
    func isProcessWide(_ number: Int) -> Bool { shards[number % Self.shardCount].withLock { $0[number]?.processWide ?? false } }

    static func protocolClass(for number: Int) -> URLProtocol.Type {
        let digits = Int.bitWidth - number.leadingZeroBitCount
        let bits = (0..<digits).reversed().map { number >> $0 & 1 == 1 }
        return build(SlotRoot.self, bits[...])
    }

    private static func build<Slot: ReplaySlot>(_: Slot.Type, _ bits: ArraySlice<Bool>) -> URLProtocol.Type {
        guard let bit = bits.first else { return ReplayURLProtocol<Slot>.self }
        return bit ? build(SlotBit1<Slot>.self, bits.dropFirst()) : build(SlotBit0<Slot>.self, bits.dropFirst())
    }
}
