/// The bounds a server keeps with its clients, so no client can hold it, or its memory, forever.
package struct ServerLimits: Sendable {
    /// The largest request body accepted; a larger one is answered `413` and the connection closed.
    package var maximumRequestBody: Int
    /// How long a connection may sit idle between requests, or take to send one, before it is
    /// closed. A connection whose answer is still being sent is never idle.
    package var clientIdleTimeout: Duration

    /// 64 MiB (LLM requests with images are a few MB), 60 seconds.
    package static let standard = ServerLimits(maximumRequestBody: 64 << 20, clientIdleTimeout: .seconds(60))

    package init(maximumRequestBody: Int, clientIdleTimeout: Duration) {
        self.maximumRequestBody = maximumRequestBody
        self.clientIdleTimeout = clientIdleTimeout
    }
}
