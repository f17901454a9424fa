import Foundation

/// Says where two request bodies differ: the first JSON path whose values differ, or the sizes.
enum BodyDifference {
    static func describe(_ request: Data?, _ recorded: Data?, ignoring paths: [JSONFieldPath] = []) -> String? {
        let (mine, theirs) = (request ?? Data(), recorded ?? Data())
        if RequestMatcher.bodyKey(mine, ignoring: paths) == RequestMatcher.bodyKey(theirs, ignoring: paths) { return nil }
        if mine.isEmpty { return "the request has none, the recorded one has \(theirs.count) bytes" }
        if theirs.isEmpty { return "the request has \(mine.count) bytes, the recorded one none" }
        if let a = try? JSONParser.parse(mine), let b = try? JSONParser.parse(theirs) {
            guard let first = JSONDiff().firstDifference(JSONFieldPath.removing(paths, from: a), JSONFieldPath.removing(paths, from: b)) else {
                return "JSON differs"
            }
            switch first.kind {
            case .added: return "\(first.path) only recorded"
            case .removed: return "\(first.path) only in the request"
            case .changed:
                let (l, r) = (first.before.map(JSONDiff.canonical) ?? "", first.after.map(JSONDiff.canonical) ?? "")
                return "\(first.path) is \(MissReport.quote(l)) in the request, \(MissReport.quote(r)) recorded"
            }
        }
        return "\(mine.count) bytes in the request, \(theirs.count) recorded, contents differ"
    }
}
