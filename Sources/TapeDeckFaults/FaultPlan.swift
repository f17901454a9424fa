import Foundation
import TapeDeck

/// The faults a replay server injects, with how many matching requests each has seen, so a
/// rule like `times=1` or `every=3` hits the same requests on every run.
package final class FaultPlan: Sendable {
    package let rules: [FaultRule]
    private let counts: Locked<[Int]>

    package init(_ rules: [FaultRule]) {
        self.rules = rules
        counts = Locked(Array(repeating: 0, count: rules.count))
    }

    /// The fault for this request, if any: every rule about it counts the request; the first
    /// rule that hits it applies.
    package func fault(method: String, target: String) -> FaultRule? {
        guard !rules.isEmpty else { return nil }
        let path = target[..<(target.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? target.endIndex)]
        return counts.withLock { counts in
            var chosen: FaultRule?
            for (index, rule) in rules.enumerated() where rule.target.concerns(method: method, path: path) {
                counts[index] += 1
                if chosen == nil, rule.schedule.hits(counts[index]) { chosen = rule }
            }
            return chosen
        }
    }
}
