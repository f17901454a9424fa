import Foundation
import NIOCore
import NIOHTTP1
package import TapeDeckProxy

/// `tapedeck example-upstream`: serves ``ExampleAPI`` over HTTP.
package struct ExampleUpstream: ExchangeHandler {
    /// Serve model lists that have moved on since the cassettes were recorded.
    package let movedOn: Bool

    package init(movedOn: Bool = false) { self.movedOn = movedOn }

    package func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        var headers: [String: String] = [:]
        for (name, value) in request.head.headers { headers[name] = value }
        let answer = ExampleAPI.answer(method: request.head.method.rawValue, target: request.head.uri, headers: headers,
                                       body: Data(request.body.readableBytesView), movedOn: movedOn)
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status))
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) { head.headers.add(name: name, value: value) }
        if answer.pieces.count == 1 { head.headers.add(name: "Content-Length", value: String(answer.body.utf8.count)) }
        try await writer.head(head)
        for (index, piece) in answer.pieces.enumerated() {
            if index > 0, answer.gap > 0 { try await Task.sleep(for: .milliseconds(answer.gap)) }
            try await writer.body(ByteBuffer(string: piece))
        }
        try await writer.end()
    }
}
