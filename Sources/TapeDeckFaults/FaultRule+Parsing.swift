import Foundation
import TapeDeck

// The `--fault` spelling read into a rule, and every check a rule passes, in one place for both
// ways a rule is made (parsed, or built from parts by `CassetteServer`'s `Fault`).
extension FaultRule {
    /// Parses the `[METHOD] PATH key=value ...` spelling.
    ///
    /// - Throws: ``FaultError`` naming the part that is wrong.
    package init(parsing specification: String) throws(FaultError) {
        func wrong(_ part: String) -> FaultError {
            FaultError("fault '\(specification)': \(part)")
        }
        var words = specification.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        guard let first = words.first else { throw wrong("it is empty; write [METHOD] PATH key=value ..., e.g. GET /models status=429 times=1") }
        var method: String?
        if !first.hasPrefix("/") && !first.contains("=") {
            method = first
            words = words.dropFirst()
        }
        guard let path = words.first, path.hasPrefix("/") else {
            throw wrong("a path starting with / must follow the method (e.g. /models, or /v1/* for everything under /v1/)")
        }
        words = words.dropFirst()
        var status: Int?, headers: HTTPHeaders = [:], delay: Duration?, dropAfter: Int?, times: Int?, every: Int?
        var given = Set<String>()
        for word in words {
            guard let equals = word.firstIndex(of: "=") else { throw wrong("'\(word)' is not key=value") }
            let key = String(word[..<equals]).asciiLowercased, value = String(word[word.index(after: equals)...])
            // Only header= may repeat: a second status= or times= would silently win.
            if key != "header", !given.insert(key).inserted { throw wrong("\(key)= is given twice; give it once") }
            switch key {
            case "status":
                guard let code = Int(value) else { throw wrong("status '\(value)' is not a number") }
                status = code
            case "header":
                guard let colon = value.firstIndex(of: ":"), colon != value.startIndex else {
                    throw wrong("header '\(value)' is not Name:Value")
                }
                headers.append(name: String(value[..<colon]), value: String(value[value.index(after: colon)...]))
            case "delay":
                guard let duration = Self.duration(value) else { throw wrong("delay '\(value)' is not a duration like 250ms, 2s or 1.5s") }
                delay = duration
            case "drop-after":
                guard let bytes = Int(value) else { throw wrong("drop-after '\(value)' is not a number of bytes") }
                dropAfter = bytes
            case "times":
                guard let count = Int(value) else { throw wrong("times '\(value)' is not a number") }
                times = count
            case "every":
                guard let count = Int(value) else { throw wrong("every '\(value)' is not a number") }
                every = count
            default:
                throw wrong("unknown key '\(key)'; use status, header, delay, drop-after, times or every")
            }
        }
        try self.init(target: Target(method: method, path: path), status: status, headers: headers, delay: delay, dropAfter: dropAfter,
                      times: times, every: every, specification: specification)
    }

    /// Checks the parts and puts them together; `specification` names the rule in an error
    /// (the rule's own spelling when it was built from parts).
    init(target: Target, status: Int?, headers: HTTPHeaders, delay: Duration?, dropAfter: Int?, times: Int?, every: Int?,
         specification: String?) throws(FaultError) {
        let answer = status.map { Answer(status: $0, headers: headers) }
        let schedule: Schedule = times.map(Schedule.first) ?? every.map(Schedule.every) ?? .always
        self.target = target
        action = Action(delay: delay, answer: answer, dropAfter: dropAfter)
        self.schedule = schedule
        let specification = specification
            ?? Self.spelling(target, status: status, headers: headers, delay: delay, dropAfter: dropAfter, times: times, every: every)
        func wrong(_ part: String) -> FaultError { FaultError("fault '\(specification)': \(part)") }
        let path = target.path
        guard path.hasPrefix("/") else { throw wrong("the path '\(path)' must start with /") }
        if path.contains("?") || path.contains("#") {
            throw wrong("the path '\(path)' has a query or fragment, but faults match the path alone (the query is ignored); leave it out")
        }
        guard path.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw wrong("the path '\(path)' is not printable ASCII; write it as the request sends it, percent-encoded (e.g. %C3%A9 for é)")
        }
        guard !path.contains("*") else { throw wrong("'*' may only end the path ('\(path)\(target.isPrefix ? "*" : "")')") }
        if let method = target.method, method.isEmpty || !method.allSatisfy({ $0.isASCII && $0.isLetter }) {
            throw wrong("'\(method)' is not an HTTP method")
        }
        if let status, !(100...599).contains(status) || (100...199).contains(status) {
            throw wrong("status \(status) is not a final HTTP status (200-599)")
        }
        if !headers.isEmpty, status == nil { throw wrong("header= needs status= (the headers go on the injected answer)") }
        if let status, status == 204 || status == 304, dropAfter != nil {
            throw wrong("drop-after= cannot cut a \(status) answer: it has no body")
        }
        for header in headers {
            let name = header.name.utf8, value = header.value.utf8
            guard !name.isEmpty, name.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ":") }),
                  value.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) }) else {
                throw wrong("header '\(header.name):\(header.value)' is not a valid header")
            }
        }
        if let delay, delay < .zero || delay > Self.maximumDelay { throw wrong("delay must be from 0 to 600 seconds") }
        if let dropAfter, dropAfter < 0 { throw wrong("drop-after must be 0 or more bytes") }
        if let times, times < 1 { throw wrong("times must be 1 or more") }
        if let every, every < 1 { throw wrong("every must be 1 or more") }
        if times != nil, every != nil { throw wrong("use times= or every=, not both") }
        guard status != nil || delay != nil || dropAfter != nil else {
            throw wrong("it does nothing; give status=, delay= or drop-after=")
        }
    }

    /// `250ms`, `2s`, `1.5s`, or a bare number of seconds: decimal digits with at most one `.`
    /// (no sign, exponent, hex float, `inf` or `nan`, which `Double` would accept).
    private static func duration(_ text: String) -> Duration? {
        let (number, scale): (Substring, Double) =
            text.hasSuffix("ms") ? (text.dropLast(2), 0.001) : text.hasSuffix("s") ? (text.dropLast(), 1) : (text[...], 1)
        let digits = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(digits.count), digits.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) else { return nil }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 1e9 else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }
}
