import Foundation

/// One injected fault: which requests it hits, how often, and what happens to them.
///
/// Written as `[METHOD] PATH key=value ...` (the `--fault` spelling, also accepted by
/// `CassetteServer`):
///
/// ```text
/// GET /models status=429 header=Retry-After:1 times=1   the first GET /models gets a 429
/// POST /chat/* delay=2s every=3                         every third POST under /chat/ waits 2 s
/// POST /chat/completions drop-after=40                  the connection closes after 40 body bytes
/// ```
///
/// - `METHOD` is optional (any method when left out); `PATH` is the request's path without the
///   query, matched exactly, or as a prefix when it ends in `*`.
/// - `status=CODE` answers with that status and a JSON error body instead of the recorded answer
///   (which stays unplayed, so a retry gets it); `header=Name:Value` (repeatable) adds headers.
/// - `delay=DURATION` (`250ms`, `2s`, `1.5s`) waits before the response head.
/// - `drop-after=N` closes the connection after N bytes of the body (after the whole body when
///   it is shorter, before the response ends: the client always sees an answer cut short). A
///   recorded answer cut short stays unplayed.
/// - Each key but `header=` is given at most once. `status=204` and `status=304` answers have no
///   body (and no `Content-Length`).
/// - `times=N` hits only the first N matching requests; `every=N` hits the Nth, 2Nth, ...;
///   without either, every matching request.
package struct FaultRule: Sendable, Equatable, CustomStringConvertible {
    /// The request method, upper-case; `nil` for any.
    package var method: String?
    /// The path, without a trailing `*`.
    package var path: String
    /// Whether `path` is a prefix (written with a trailing `*`).
    package var isPrefix: Bool
    package var status: Int?
    package var headers: [Header]
    package var delay: Duration?
    package var dropAfter: Int?
    package var times: Int?
    package var every: Int?

    /// One header a fault adds to its answer.
    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The longest delay a fault may ask for.
    package static let maximumDelay = Duration.seconds(600)

    package init(method: String? = nil, path: String, status: Int? = nil, headers: [Header] = [], delay: Duration? = nil,
                 dropAfter: Int? = nil, times: Int? = nil, every: Int? = nil) throws(FaultError) {
        self.method = method?.uppercased()
        isPrefix = path.hasSuffix("*")
        self.path = isPrefix ? String(path.dropLast()) : path
        self.status = status
        self.headers = headers
        self.delay = delay
        self.dropAfter = dropAfter
        self.times = times
        self.every = every
        try validate(as: description)
    }

    /// Parses the `[METHOD] PATH key=value ...` spelling.
    ///
    /// - Throws: ``FaultError`` naming the part that is wrong.
    package init(parsing specification: String) throws(FaultError) {
        func wrong(_ part: String) -> FaultError {
            FaultError("fault '\(specification)': \(part)")
        }
        var words = specification.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        guard let first = words.first else { throw wrong("it is empty; write [METHOD] PATH key=value ..., e.g. GET /models status=429 times=1") }
        if !first.hasPrefix("/") && !first.contains("=") {
            method = first.uppercased()
            words = words.dropFirst()
        } else {
            method = nil
        }
        guard let target = words.first, target.hasPrefix("/") else {
            throw wrong("a path starting with / must follow the method (e.g. /models, or /v1/* for everything under /v1/)")
        }
        words = words.dropFirst()
        isPrefix = target.hasSuffix("*")
        path = isPrefix ? String(target.dropLast()) : target
        status = nil
        headers = []
        delay = nil
        dropAfter = nil
        times = nil
        every = nil
        var given = Set<String>()
        for word in words {
            guard let equals = word.firstIndex(of: "=") else { throw wrong("'\(word)' is not key=value") }
            let key = word[..<equals].lowercased(), value = String(word[word.index(after: equals)...])
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
                headers.append(Header(name: String(value[..<colon]), value: String(value[value.index(after: colon)...])))
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
        try validate(as: specification)
    }

    private func validate(as specification: String) throws(FaultError) {
        func wrong(_ part: String) -> FaultError { FaultError("fault '\(specification)': \(part)") }
        guard path.hasPrefix("/") else { throw wrong("the path '\(path)' must start with /") }
        if path.contains("?") || path.contains("#") {
            throw wrong("the path '\(path)' has a query or fragment, but faults match the path alone (the query is ignored); leave it out")
        }
        guard path.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw wrong("the path '\(path)' is not printable ASCII; write it as the request sends it, percent-encoded (e.g. %C3%A9 for é)")
        }
        guard !path.contains("*") else { throw wrong("'*' may only end the path ('\(path)\(isPrefix ? "*" : "")')") }
        if let method, method.isEmpty || !method.allSatisfy({ $0.isASCII && $0.isLetter }) { throw wrong("'\(method)' is not an HTTP method") }
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

    /// Whether the fault is about requests with this method and path (the query left out).
    package func concerns(method requestMethod: String, path requestPath: Substring) -> Bool {
        if let method, method != requestMethod.uppercased() { return false }
        return isPrefix ? requestPath.hasPrefix(path) : requestPath == path
    }

    /// Whether the `count`th matching request (1-based) is hit.
    package func hits(_ count: Int) -> Bool {
        if let times { return count <= times }
        if let every { return count % every == 0 }
        return true
    }

    /// The rule in the `--fault` spelling.
    package var description: String {
        var words = [method, path + (isPrefix ? "*" : "")].compactMap { $0 }
        if let status { words.append("status=\(status)") }
        words += headers.map { "header=\($0.name):\($0.value)" }
        if let delay { words.append("delay=\(delay.wholeMilliseconds)ms") }
        if let dropAfter { words.append("drop-after=\(dropAfter)") }
        if let times { words.append("times=\(times)") }
        if let every { words.append("every=\(every)") }
        return words.joined(separator: " ")
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
