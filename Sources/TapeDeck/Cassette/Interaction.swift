/// One recorded exchange: the request and the answer it got.
public struct Interaction: Hashable, Sendable {
    /// What was sent (credentials removed).
    public var request: RecordedRequest
    /// What came back (credentials removed).
    public var response: RecordedResponse
    /// Set for an answer made in code rather than recorded (a ``Stub``): how it is matched and
    /// how often it answers. `nil` for a recording.
    public var stub: StubRule?

    /// An exchange.
    ///
    /// - Parameters:
    ///   - request: what was sent.
    ///   - response: what came back.
    ///   - stub: for an answer made in code, how it is matched; `nil` for a recording.
    public init(request: RecordedRequest, response: RecordedResponse, stub: StubRule? = nil) {
        self.request = request
        self.response = response
        self.stub = stub
    }

    /// This stub answering at most `count` matching requests; after that the requests go on to
    /// the next stub or the recorded interactions (a 429 once, then the recorded answer).
    ///
    /// ```swift
    /// player.stub(try Stub.error(.openAI, status: 429, retryAfter: 1).answering(times: 1))
    /// ```
    public func answering(times count: Int) -> Interaction {
        var changed = self
        changed.stub = StubRule(parts: stub?.parts ?? StubRule.methodAndPath.parts, times: max(1, count))
        return changed
    }

    /// This stub matched on `parts` of the request instead of its method and path.
    public func matching(_ parts: [StubRule.Part]) -> Interaction {
        var changed = self
        changed.stub = StubRule(parts: parts, times: stub?.times)
        return changed
    }

    /// This interaction as a stub: its own rule, or method and path.
    package var asStub: Interaction {
        var changed = self
        if changed.stub == nil { changed.stub = .methodAndPath }
        return changed
    }
}
