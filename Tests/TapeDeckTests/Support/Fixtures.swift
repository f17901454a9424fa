import Foundation
import TapeDeck

/// Interactions shaped like the list-models calls of the API notes.
enum Fixtures {
    static let deepseekModels = #"{"object":"list","data":[{"id":"deepseek-chat","object":"model","owned_by":"deepseek"},{"id":"deepseek-reasoner","object":"model","owned_by":"deepseek"}]}"#
    static let openAIModels = #"{"object":"list","data":[{"id":"gpt-4","object":"model","created":0,"owned_by":"openai"}]}"#
    static let geminiModels = #"{"models":[{"name":"models/gemini-2.0-flash","version":"2.0","displayName":"Gemini 2.0 Flash"}]}"#
    static let anthropicModels = #"{"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}],"has_more":false}"#

    static func listModels(_ url: String = "https://api.deepseek.com/models", headers: HTTPHeaders = ["Accept": "application/json"],
                           redacted: [CredentialKind] = [.header("authorization")], body: String = deepseekModels, status: Int = 200) -> Interaction {
        Interaction(
            request: RecordedRequest(method: "GET", url: url, headers: headers, redacted: redacted),
            response: RecordedResponse(status: status, headers: ["Content-Type": "application/json"], body: Data(body.utf8)))
    }

    /// The gateway's three answers to `GET /v1/models`, told apart by the credential kind.
    static var gateway: Cassette {
        Cassette(name: "gateway-models", interactions: [
            listModels("https://gateway.example/v1/models", redacted: [.header("authorization")], body: openAIModels),
            listModels("https://gateway.example/v1/models", redacted: [.header("x-goog-api-key")], body: geminiModels),
            listModels("https://gateway.example/v1/models", headers: ["anthropic-version": "2023-06-01"], redacted: [.header("x-api-key")], body: anthropicModels),
        ])
    }

    static var streamed: Interaction {
        let events = ["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"]
        return Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions",
                                     headers: ["Content-Type": "application/json"], body: Data(#"{"model":"deepseek-chat","stream":true}"#.utf8),
                                     redacted: [.header("authorization")]),
            response: RecordedResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: Data(events.joined().utf8),
                                       chunks: events.enumerated().map { ResponseChunk(size: $0.element.utf8.count, milliseconds: $0.offset * 25) }))
    }

    static var binary: Interaction {
        Interaction(
            request: RecordedRequest(method: "PUT", url: "https://files.example/blob?b=2&a=1", headers: HTTPHeaders([("X-Dup", "1"), ("x-dup", "2")]), body: Data([0xff, 0x00, 0xfe])),
            response: RecordedResponse(status: 201, headers: HTTPHeaders([("Set-Thing", "a"), ("Set-Thing", "b")]), body: Data([0x89, 0x50, 0x4e, 0x47, 0x00, 0xc3])))
    }

    static var sample: Cassette {
        Cassette(name: "sample", interactions: [listModels(), streamed, binary, listModels("https://api.deepseek.com/v1/models")])
    }
}
