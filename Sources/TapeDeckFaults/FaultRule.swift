import Foundation
package import TapeDeck

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
    /// Which requests the rule is about.
    package var target: Target
    /// What happens to a request it hits.
    package var action: Action
    /// Which of the requests it is about it hits.
    package var schedule: Schedule

    /// The requests a rule is about: a method (or any) and a path, exact or a prefix.
    package struct Target: Sendable, Equatable {
        /// The request method, upper-case; `nil` for any.
        package var method: String?
        /// The path, without a trailing `*`.
        package var path: String
        /// Whether `path` is a prefix (written with a trailing `*`).
        package var isPrefix: Bool

        /// `path` ending in `*` is a prefix.
        package init(method: String?, path: String) {
            self.method = method?.asciiUppercased
            isPrefix = path.hasSuffix("*")
            self.path = isPrefix ? String(path.dropLast()) : path
        }

        /// Whether the rule is about requests with this method and path (the query left out).
        package func concerns(method requestMethod: String, path requestPath: Substring) -> Bool {
            if let method, method != requestMethod.asciiUppercased { return false }
            return isPrefix ? requestPath.hasPrefix(path) : requestPath == path
        }
    }

    /// What a hit request gets; the parts combine (a delay, then an injected answer or the
    /// recorded one, cut after some bytes or whole). At least one part is there.
    package struct Action: Sendable, Equatable {
        /// Waits this long before the response head.
        package var delay: Duration?
        /// Answers with this instead of the recording.
        package var answer: Answer?
        /// Closes the connection after this many body bytes.
        package var dropAfter: Int?
    }

    /// An answer a fault sends in place of the recorded one: a status and extra headers (the
    /// body is a JSON error body).
    package struct Answer: Sendable, Equatable {
        package var status: Int
        /// In the order given; a name may repeat.
        package var headers: HTTPHeaders
    }

    /// Which of the requests a rule is about it hits, counted from 1.
    package enum Schedule: Sendable, Equatable {
        /// Every one.
        case always
        /// The first N (`times=N`).
        case first(Int)
        /// The Nth, 2Nth, ... (`every=N`).
        case every(Int)

        /// Whether the `count`th request (1-based) is hit.
        package func hits(_ count: Int) -> Bool {
            switch self {
            case .always: true
            case .first(let times): count <= times
            case .every(let every): count % every == 0
            }
        }
    }

    /// The longest delay a fault may ask for.
    package static let maximumDelay = Duration.seconds(600)

    /// A rule from its parts, checked as the `--fault` spelling is.
    ///
    /// - Throws: ``FaultError`` naming the part that is wrong.
    package init(method: String? = nil, path: String, status: Int? = nil, headers: HTTPHeaders = [:], delay: Duration? = nil,
                 dropAfter: Int? = nil, times: Int? = nil, every: Int? = nil) throws(FaultError) {
        try self.init(target: Target(method: method, path: path), status: status, headers: headers, delay: delay, dropAfter: dropAfter,
                      times: times, every: every, specification: nil)
    }

    /// The rule in the `--fault` spelling.
    package var description: String {
        let (times, every): (Int?, Int?) = switch schedule {
        case .always: (nil, nil)
        case .first(let times): (times, nil)
        case .every(let every): (nil, every)
        }
        return Self.spelling(target, status: action.answer?.status, headers: action.answer?.headers ?? [:], delay: action.delay,
                             dropAfter: action.dropAfter, times: times, every: every)
    }

    /// The `--fault` spelling of these parts (also of parts that do not make a rule, for the error).
    static func spelling(_ target: Target, status: Int?, headers: HTTPHeaders, delay: Duration?, dropAfter: Int?, times: Int?, every: Int?) -> String {
        var words = [target.method, target.path + (target.isPrefix ? "*" : "")].compactMap { $0 }
        if let status { words.append("status=\(status)") }
        words += headers.map { "header=\($0.name):\($0.value)" }
        if let delay { words.append("delay=\(delay.wholeMilliseconds)ms") }
        if let dropAfter { words.append("drop-after=\(dropAfter)") }
        if let times { words.append("times=\(times)") }
        if let every { words.append("every=\(every)") }
        return words.joined(separator: " ")
    }
}
