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
        var headers: [String: String] = [:]
        for (name, value) in request.head.headers { headers[name] = value }
        let answer = ExampleAPI.answer(method: request.head.method.rawValue, target: request.head.uri, headers: headers,
                                       body: Data(request.body.readableBytesView), movedOn: movedOn)
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status))
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) { head.headers.add(name: name, value: value) }
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
