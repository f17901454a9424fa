/// An error from the proxy, replay server or example upstream: what failed, where, and what to
/// do. (Fault rules have their own, `FaultError`.)
package struct ProxyError: Error, CustomStringConvertible, Sendable {
    package enum Kind: Sendable, Equatable {
        case portInUse
        /// The server could not listen for another reason than the port being taken.
        case cannotListen
        case invalidUpstream
        case certificate
        case upstreamUnreachable
        case upstreamTLS
        case upstreamProtocol
        /// The upstream did not connect, or sent nothing, within its timeout.
        case upstreamTimeout
        /// An upstream answer larger than the limit a cassette may hold.
        case answerTooLarge
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
