import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeck

/// Records with a separate, plain `URLSession` (Apple platforms). The replay protocol waits in
/// `startLoading` until the answer is complete; on Apple each session has its own delegate
/// queue, so this does not wait on itself. Redirects are not followed (the 3xx is recorded, as
/// `curl` does on Linux), and each piece of the body is timed as it arrives. It asks for no
/// content coding, and a body URLSession decoded anyway is stored decoded and scrubbed.
///
/// Compiled on every platform, so the Linux build type-checks it; used where
/// ``FoundationFlavor/waitsOnSharedQueue`` is false.
struct SessionFetcher: LiveFetching {
    /// The longest a recording waits for an upstream, as the `curl` path does.
    static let timeout: TimeInterval = 300

    func fetch(_ request: RecordedRequest, cassette: String) throws(ReplayError) -> RecordedResponse {
        let label = "\(request.method) \(request.url)"
        guard let url = URL(string: request.url) else {
            throw ReplayError(.upstream, cassette: cassette, reason: "cannot record \(label): not a URL")
        }
        var live = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: Self.timeout)
        live.httpMethod = request.method
        for header in request.headers where !LiveFetchers.skippedRequestHeaders.contains(header.name.asciiLowercased) {
            live.addValue(header.value, forHTTPHeaderField: header.name)
        }
        // Asked for explicitly, as the curl path asks by sending none: without it URLSession
        // offers its own codings (`gzip, deflate, br` on Apple platforms) and decodes the answer.
        live.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        live.httpBody = request.body
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let collector = Collector()
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: live).resume()
        let outcome = collector.wait()
        if let error = outcome.error {
            throw ReplayError(.upstream, cassette: cassette, reason: "recording \(label) failed: \(error.localizedDescription)")
        }
        guard let response = outcome.response else {
            throw ReplayError(.upstream, cassette: cassette, reason: "recording \(label) failed: the upstream sent no response head")
        }
        var headers = HTTPHeaders()
        for (name, value) in response.allHeaderFields {
            guard let name = name as? String, let value = value as? String else { continue }
            headers.append(name: name, value: value)
        }
        // An upstream may encode anyway; URLSession then decodes gzip and deflate itself yet keeps
        // `Content-Encoding`, on Apple platforms and in FoundationNetworking alike.
        return LiveFetchers.stored(status: response.statusCode, headers: headers, pieces: outcome.pieces, transportDecoded: true,
                                   label: label, cassette: cassette)
    }

    /// Collects one task's answer, piece by piece, and lets the caller wait for its end.
    final class Collector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        struct Outcome {
            var response: HTTPURLResponse?
            var pieces: [(data: Data, milliseconds: Int)] = []
            var error: (any Error)?
        }

        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var outcome = Outcome()
        private var headArrived = ContinuousClock.now

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
            lock.withLock {
                outcome.response = response as? HTTPURLResponse
                headArrived = .now
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            lock.withLock { outcome.pieces.append((data, ResponseChunk.milliseconds(since: headArrived))) }
        }

        /// A redirect is recorded as the 3xx it is, not followed.
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            lock.withLock {
                outcome.error = error
                if outcome.response == nil { outcome.response = task.response as? HTTPURLResponse }
            }
            done.signal()
        }

        func wait() -> Outcome {
            done.wait()
            return lock.withLock { outcome }
        }
    }
}
