import Foundation
import NIOCore
import NIOHTTP1
package import TapeDeckProxy

/// `tapedeck example-upstream`: serves ``ExampleAPI`` over HTTP.
package struct ExampleUpstream: ExchangeHandler {
    /// Serve model lists that have moved on since the cassettes were recorded.
    package let movedOn: Bool
    /// Milliseconds between the pieces of a streamed answer, instead of the API's own pace
    /// (a test that must catch a stream in the middle slows it down).
    package let streamGap: Int?

    package init(movedOn: Bool = false, streamGap: Int? = nil) {
        self.movedOn = movedOn
        self.streamGap = streamGap
    }

    package func handle(_ request: ServerRequest, writer: ResponseWriter) async throws {
        let received = request.received(url: request.head.uri)
        let answer = ExampleAPI.answer(method: received.method, target: request.head.uri, headers: received.headers, body: received.body ?? Data(), movedOn: movedOn)
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status))
        for header in answer.headers.sorted(by: { $0.name < $1.name }) { head.headers.add(name: header.name, value: header.value) }
        if answer.pieces.count == 1 { head.headers.add(name: "Content-Length", value: String(answer.body.utf8.count)) }
        try await writer.head(head)
        let gap = answer.gap > 0 ? streamGap ?? answer.gap : 0
        for (index, piece) in answer.pieces.enumerated() {
            if index > 0, gap > 0 { try await Task.sleep(for: .milliseconds(gap)) }
            try await writer.body(ByteBuffer(string: piece))
        }
        try await writer.end()
    }
}
