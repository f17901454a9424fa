/// The one place a `Duration` becomes a plain number (for a log line, a NIO time amount, a
/// thread sleep): each conversion once, truncating toward zero, saturating at the ends of `Int64`.
extension Duration {
    /// Whole milliseconds.
    package var wholeMilliseconds: Int64 { wholeUnits(per: 1_000) }

    /// Whole nanoseconds.
    package var wholeNanoseconds: Int64 { wholeUnits(per: 1_000_000_000) }

    /// Seconds as a `Double` (`TimeInterval`), for Foundation's sleeps and timers.
    package var timeInterval: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private func wholeUnits(per second: Int64) -> Int64 {
        let parts = components
        let (scaled, overflow) = parts.seconds.multipliedReportingOverflow(by: second)
        guard !overflow else { return parts.seconds < 0 ? .min : .max }
        let (sum, carried) = scaled.addingReportingOverflow(parts.attoseconds / (1_000_000_000_000_000_000 / second))
        return carried ? (parts.seconds < 0 ? .min : .max) : sum
    }
}
