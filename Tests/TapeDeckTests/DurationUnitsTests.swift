import Testing
@testable import TapeDeck

/// The one conversion of a `Duration` to plain numbers, and the pacer built on the recorded gaps.
@Suite struct DurationUnitsTests {
    @Test func aDurationBecomesWholeUnitsTruncatedAndSaturated() {
        #expect(Duration.milliseconds(1_500).wholeMilliseconds == 1_500)
        #expect(Duration.microseconds(2_999).wholeMilliseconds == 2)
        #expect(Duration.seconds(3).wholeNanoseconds == 3_000_000_000)
        #expect(Duration.nanoseconds(7).wholeNanoseconds == 7)
        #expect(Duration.milliseconds(-250).wholeMilliseconds == -250)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeMilliseconds == .min)
        #expect(Duration.milliseconds(2_250).timeInterval == 2.25)
    }

    @Test func thePacerPausesForEachRecordedGapScaledAndNeverBackwards() {
        var pacer = ChunkPacer(scale: 0.5)
        #expect([0, 100, 100, 60, 300].map { pacer.pause(before: $0) } == [.zero, .milliseconds(50), .zero, .zero, .milliseconds(100)])
        var instant = ChunkPacer(scale: 0)
        #expect(instant.pause(before: 1_000) == .zero)
    }
}
