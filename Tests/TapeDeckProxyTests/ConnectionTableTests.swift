import Testing
@testable import TapeDeckProxy

/// The server's connection decisions, without sockets.
@Suite struct ConnectionTableTests {
    @Test func aConnectionGoesFromFreshThroughAnExchangeToIdleAndIsForgottenWhenClosed() {
        var table = ConnectionTable<Int, String>()
        let accepted = table.accept(1, channel: "one")
        #expect(accepted)
        #expect(table.phase(of: 1) == .fresh)
        table.requestStarted(1)
        #expect(table.phase(of: 1) == .receiving)
        #expect(!table.isAnswering(1))
        table.answerStarted(1)
        #expect(table.isAnswering(1), "the idle timeout spares a connection that is answering")
        let kept = table.answered(1, keepAlive: true)
        #expect(kept)
        #expect(table.phase(of: 1) == .idle)
        let keptAgain = table.answered(1, keepAlive: false)
        #expect(!keptAgain, "a client that asked to close is not kept")
        table.closed(1)
        #expect(table.phase(of: 1) == nil)
        #expect(table.acceptedCount == 1)
    }

    @Test func stoppingClosesIdleConnectionsNowGivesFreshOnesAGraceAndLetsExchangesFinish() {
        var table = ConnectionTable<Int, String>()
        for id in 1...4 { _ = table.accept(id, channel: "c\(id)") }
        // 1 fresh; 2 idle after one exchange; 3 receiving; 4 answering.
        table.requestStarted(2); table.answerStarted(2); _ = table.answered(2, keepAlive: true)
        table.requestStarted(3)
        table.requestStarted(4); table.answerStarted(4)

        let stopping = table.stop()
        #expect(stopping.closeNow == ["c2"])
        #expect(stopping.closeAfterGrace.map(\.id) == [1])
        let late = table.accept(5, channel: "c5")
        #expect(!late, "no connection is let in once stopping")
        #expect(table.acceptedCount == 4)
        let keptWhileStopping = table.answered(4, keepAlive: true)
        #expect(!keptWhileStopping, "an exchange finished while stopping closes its connection")
    }

    @Test func aFreshConnectionWhoseRequestStartedDuringTheGraceIsNotClosed() {
        var table = ConnectionTable<Int, String>()
        _ = table.accept(1, channel: "late")
        _ = table.accept(2, channel: "silent")
        _ = table.stop()
        table.requestStarted(1)
        #expect(!table.closesAfterGrace(1))
        #expect(table.closesAfterGrace(2))
        table.closed(2)
        #expect(!table.closesAfterGrace(2), "a connection already gone is not closed twice")
    }
}
