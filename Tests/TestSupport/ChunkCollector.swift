public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// A data delegate that keeps each piece of a body with its arrival time, and when the task ended.
public final class ChunkCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// One piece and when it arrived.
    public struct Chunk: Sendable {
        public var data: Data
        public var arrival: ContinuousClock.Instant
    }

    /// Everything received and the moment the task ended.
    public struct Outcome: Sendable {
        public var chunks: [Chunk]
        public var ended: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var chunks: [Chunk] = []
    private var continuation: CheckedContinuation<Outcome, any Error>?
    private var outcome: Result<Outcome, any Error>?

    public override init() {}

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { chunks.append(Chunk(data: data, arrival: .now)) }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let ended = ContinuousClock.now
        let (waiting, result) = lock.withLock { () -> (CheckedContinuation<Outcome, any Error>?, Result<Outcome, any Error>) in
            let result: Result<Outcome, any Error> = error.map { .failure($0) } ?? .success(Outcome(chunks: chunks, ended: ended))
            outcome = result
            defer { continuation = nil }
            return (continuation, result)
        }
        waiting?.resume(with: result)
    }

    /// Returns once the first piece has arrived (or the task ended).
    public func firstArrival() async throws {
        while lock.withLock({ chunks.isEmpty && outcome == nil }) { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Waits for the task to end.
    public func finished() async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let done = lock.withLock { () -> Result<Outcome, any Error>? in
                if outcome == nil { self.continuation = continuation }
                return outcome
            }
            if let done { continuation.resume(with: done) }
        }
    }
}
