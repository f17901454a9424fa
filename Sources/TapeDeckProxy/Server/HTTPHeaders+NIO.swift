package import NIOHTTP1
package import TapeDeck

// The one conversion each way between SwiftNIO's header fields, at the network edge, and the
// core's, which records and matching use: every field, in order, each name spelled as it came.

package extension TapeDeck.HTTPHeaders {
    /// SwiftNIO's fields as the core's.
    init(nio fields: NIOHTTP1.HTTPHeaders) {
        self.init(fields.map { ($0.name, $0.value) })
    }
}

package extension NIOHTTP1.HTTPHeaders {
    /// The core's fields as SwiftNIO's.
    init(recorded fields: TapeDeck.HTTPHeaders) {
        self.init(fields.map { ($0.name, $0.value) })
    }
}
