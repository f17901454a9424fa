import Foundation
import TapeDeckTestSupport
import TapeDeck

/// Cassettes for the replay tests, written to a temporary folder by the core's writer.
enum Cassettes {
    static let openAI = #"{"object":"list","data":[{"id":"gpt-4","object":"model","created":0,"owned_by":"openai"}]}"#
    static let gemini = #"{"models":[{"name":"models/gemini-2.0-flash","displayName":"Gemini 2.0 Flash"}]}"#
    static let anthropic = #"{"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4"}],"has_more":false}"#
    static let deepseek = #"{"object":"list","data":[{"id":"deepseek-chat","object":"model","owned_by":"deepseek"},{"id":"deepseek-reasoner","object":"model","owned_by":"deepseek"}]}"#

    static func get(_ url: String, _ kinds: [CredentialKind], headers: HTTPHeaders = [:], status: Int = 200,
                    responseHeaders: HTTPHeaders = ["Content-Type": "application/json"], body: String) -> Interaction {
        Interaction(request: RecordedRequest(method: "GET", url: url, headers: headers, redacted: kinds),
                    response: RecordedResponse(status: status, headers: responseHeaders, body: Data(body.utf8)))
    }

    static var gateway: Cassette {
        Cassette(name: "gateway-models", interactions: [
            get("https://gateway.example/v1/models", [.header("authorization")], body: openAI),
            get("https://gateway.example/v1/models", [.header("x-goog-api-key")], body: gemini),
            get("https://gateway.example/v1/models", [.header("x-api-key")], headers: ["anthropic-version": "2023-06-01"], body: anthropic),
        ])
    }

    static let events = ["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"]

    static var chat: Interaction {
        Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", headers: ["Content-Type": "application/json"],
                                     body: Data(#"{"model":"deepseek-chat","stream":true}"#.utf8), redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: Data(events.joined().utf8),
                                       chunks: events.enumerated().map { ResponseChunk(size: $0.element.utf8.count, milliseconds: $0.offset * 100) }))
    }

    static var deepseek_: Cassette {
        Cassette(name: "deepseek-models", interactions: [
            get("https://api.deepseek.com/models", [.header("authorization")], body: deepseek),
            chat,
            get("https://api.deepseek.com/old-models", [.header("authorization")], status: 302,
                responseHeaders: ["Location": "/models?via=redirect"], body: ""),
            get("https://api.deepseek.com/models?via=redirect", [.header("authorization")], body: deepseek),
        ])
    }

    /// Writes `cassette` as `name.tape` in `directory` and returns its URL.
    static func write(_ cassette: Cassette, to directory: TemporaryDirectory, as name: String? = nil) throws -> URL {
        let url = directory.file((name ?? cassette.name) + ".tape")
        try cassette.write(to: url)
        return url
    }
}
