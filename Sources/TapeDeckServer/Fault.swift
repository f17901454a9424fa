public import TapeDeck
public import TapeDeckReplay
import TapeDeckProxy
import TapeDeckFaults

/// A fault a ``CassetteServer`` injects into chosen requests, so a client's retry, backoff and
/// error handling can be tested: a status (`429` with `Retry-After`, `500`, `503`), a delay before
/// the answer, or a connection dropped after some bytes of the body (mid-stream for SSE).
///
/// Faults are deterministic: each counts the requests it concerns (same method and path), and
/// `times` or `every` choose which of them it hits.
///
/// ```swift
/// // The first GET /models gets a 429; the client's retry gets the recorded answer.
/// let rateLimited = try Fault.status(429, headers: ["Retry-After": "1"], method: "GET", path: "/models", times: 1)
/// // The same, in the spelling `tapedeck replay --fault` takes:
/// let same = try Fault("GET /models status=429 header=Retry-After:1 times=1")
/// ```
///
/// A recorded answer a fault replaces (`status`) or cuts short (`drop`) stays unplayed, so the
/// client's next attempt gets it.
public struct Fault: Sendable, CustomStringConvertible {
    let rule: FaultRule

    private init(_ rule: FaultRule) { self.rule = rule }

    /// Parses the `tapedeck replay --fault` spelling: `[METHOD] PATH key=value ...` with the keys
    /// `status`, `header` (`Name:Value`), `delay` (`250ms`, `2s`), `drop-after` (bytes), `times`
    /// and `every`. A path ending in `*` is a prefix.
    ///
    /// - Throws: `ReplayError` of kind `ReplayError/Kind/invalidFault` naming the part that is wrong.
    public init(_ specification: String) throws(ReplayError) {
        self.init(try Self.checked { () throws(FaultError) in try FaultRule(parsing: specification) })
    }

    /// Answers the requests it hits with `status` and a JSON error body, instead of the recording.
    ///
    /// - Parameters:
    ///   - status: the status, 200-599.
    ///   - headers: headers for that answer (e.g. `Retry-After`), in order; a name may repeat.
    ///   - method: the request method; `nil` for any.
    ///   - path: the request path without the query; a prefix when it ends in `*`.
    ///   - times: hit only the first `times` matching requests.
    ///   - every: hit every `every`th matching request.
    /// - Throws: `ReplayError` of kind `ReplayError/Kind/invalidFault` for values out of range.
    public static func status(_ status: Int, headers: HTTPHeaders = [:], method: String? = nil, path: String,
                              times: Int? = nil, every: Int? = nil) throws(ReplayError) -> Fault {
        Fault(try checked { () throws(FaultError) in
            try FaultRule(method: method, path: path, status: status, headers: headers, times: times, every: every)
        })
    }

    /// Waits `delay` before the answer's head (the recorded answer follows).
    ///
    /// - Parameters:
    ///   - delay: how long, up to 600 seconds.
    ///   - method: the request method; `nil` for any.
    ///   - path: the request path without the query; a prefix when it ends in `*`.
    ///   - times: hit only the first `times` matching requests.
    ///   - every: hit every `every`th matching request.
    /// - Throws: `ReplayError` of kind `ReplayError/Kind/invalidFault` for values out of range.
    public static func delay(_ delay: Duration, method: String? = nil, path: String, times: Int? = nil, every: Int? = nil) throws(ReplayError) -> Fault {
        Fault(try checked { () throws(FaultError) in try FaultRule(method: method, path: path, delay: delay, times: times, every: every) })
    }

    /// Sends the head and the first `bytes` bytes of the recorded body, then closes the connection
    /// (after the whole body when it is shorter, before the response ends).
    ///
    /// - Parameters:
    ///   - bytes: how many body bytes get through.
    ///   - method: the request method; `nil` for any.
    ///   - path: the request path without the query; a prefix when it ends in `*`.
    ///   - times: hit only the first `times` matching requests.
    ///   - every: hit every `every`th matching request.
    /// - Throws: `ReplayError` of kind `ReplayError/Kind/invalidFault` for values out of range.
    public static func drop(afterBodyBytes bytes: Int, method: String? = nil, path: String, times: Int? = nil, every: Int? = nil) throws(ReplayError) -> Fault {
        Fault(try checked { () throws(FaultError) in try FaultRule(method: method, path: path, dropAfter: bytes, times: times, every: every) })
    }

    /// The fault in the `--fault` spelling.
    public var description: String { rule.description }

    private static func checked(_ make: () throws(FaultError) -> FaultRule) throws(ReplayError) -> FaultRule {
        do throws(FaultError) {
            return try make()
        } catch {
            throw ReplayError(.invalidFault, reason: error.message)
        }
    }
}
