import Foundation

/// Says where two request bodies differ: the first JSON path whose values differ, or the sizes.
enum BodyDifference {
    static func describe(_ request: Data?, _ recorded: Data?, ignoring paths: [JSONFieldPath] = []) -> String? {
        let (mine, theirs) = (request ?? Data(), recorded ?? Data())
        if RequestMatcher.bodyKey(mine, ignoring: paths) == RequestMatcher.bodyKey(theirs, ignoring: paths) { return nil }
        if mine.isEmpty { return "the request has none, the recorded one has \(theirs.count) bytes" }
        if theirs.isEmpty { return "the request has \(mine.count) bytes, the recorded one none" }
        if let a = try? JSONParser.parse(Array(mine)), let b = try? JSONParser.parse(Array(theirs)) {
            return firstDifference(JSONFieldPath.removing(paths, from: a), JSONFieldPath.removing(paths, from: b), path: "$") ?? "JSON differs"
        }
        return "\(mine.count) bytes in the request, \(theirs.count) recorded, contents differ"
    }

    private static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String) -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = Set(x.map(\.key) + y.map(\.key)).sorted()
            for key in keys {
                let child = path + "." + key
                switch (a[key], b[key]) {
                case (nil, _?): return "\(child) only recorded"
                case (_?, nil): return "\(child) only in the request"
                case (let l?, let r?): if let found = firstDifference(l, r, path: child) { return found }
                case (nil, nil): break
                }
            }
            return nil
        case (.array(let x), .array(let y)):
            if x.count != y.count { return "\(path) has \(x.count) elements in the request, \(y.count) recorded" }
            for (index, pair) in zip(x, y).enumerated() {
                if let found = firstDifference(pair.0, pair.1, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            let (l, r) = (canonical(a), canonical(b))
            return l == r ? nil : "\(path) is \(MissReport.quote(l)) in the request, \(MissReport.quote(r)) recorded"
        }
    }

    private static func canonical(_ value: JSONValue) -> String {
        var writer = JSONWriter(capacity: 64)
        writer.value(value, sortingKeys: true)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
