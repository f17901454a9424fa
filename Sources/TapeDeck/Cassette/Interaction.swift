/// One recorded exchange: the request and the answer it got.
public struct Interaction: Hashable, Sendable {
    /// What was sent (credentials removed).
    public var request: RecordedRequest
    /// What came back (credentials removed).
    public var response: RecordedResponse

    /// An exchange.
    public init(request: RecordedRequest, response: RecordedResponse) {
        self.request = request
        self.response = response
    }
}
