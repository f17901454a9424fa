// Gemini's shapes. Source: the Gemini API reference, "models.generateContent",
// "models.streamGenerateContent" (with alt=sse, events separated by CRLF CRLF as the service
// writes them), "GenerateContentResponse" and "models.list" (ai.google.dev/api).

extension Stub {
    /// The Gemini API's base URL.
    public static let geminiBaseURL = "https://generativelanguage.googleapis.com/v1beta"

    /// Content generation (`POST /v1beta/models/MODEL:generateContent`), or, with `stream`,
    /// `:streamGenerateContent?alt=sse` answered as server-sent events, one
    /// `GenerateContentResponse` each.
    ///
    /// ```swift
    /// player.stub(Stub.geminiGenerate("Bonjour.", model: "gemini-2.0-flash", stream: true))
    /// ```
    ///
    /// - Parameters:
    ///   - text: the model's text (unused for a tool call or a refusal).
    ///   - model: the model in the path, e.g. `gemini-2.0-flash`.
    ///   - ending: `finishReason` `STOP`, `MAX_TOKENS`, `STOP` with a `functionCall` part, or `SAFETY` (a blocked answer, no content).
    ///   - stream: answer as server-sent events.
    ///   - url: the request's URL (only its path is matched); by default the model's method under ``geminiBaseURL``.
    public static func geminiGenerate(_ text: String = defaultText, model: String = "gemini-2.0-flash", ending: StubEnding = .stop,
                                      stream: Bool = false, url: String? = nil) -> Interaction {
        let address = url ?? "\(geminiBaseURL)/models/\(model):\(stream ? "streamGenerateContent?alt=sse" : "generateContent")"
        let reason: JSONValue = switch ending.kind {
        case .stop, .toolCall: "STOP"
        case .length: "MAX_TOKENS"
        case .refusal: "SAFETY"
        }
        let tokens = ending.kind == .toolCall ? completionTokens(ending.argumentsText) : completionTokens(text)
        func response(_ parts: [JSONValue]?, finished: Bool, tokens: Int) -> JSONValue {
            var candidate: JSONValue.Members = []
            if let parts { candidate.append(.init(key: "content", value: ["parts": .array(parts), "role": "model"])) }
            if finished { candidate.append(.init(key: "finishReason", value: reason)) }
            if finished, ending.kind == .refusal {
                candidate.append(.init(key: "safetyRatings", value: [["category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true]]))
            }
            candidate.append(.init(key: "index", value: 0))
            return ["candidates": [.object(candidate)],
                    "usageMetadata": ["promptTokenCount": .integer(promptTokens), "candidatesTokenCount": .integer(tokens),
                                      "totalTokenCount": .integer(promptTokens + tokens)],
                    "modelVersion": .text(model), "responseId": "tapedeck-response"]
        }
        let call: JSONValue = ["functionCall": ["name": .text(ending.tool ?? ""), "args": ending.argumentsValue]]
        guard stream else {
            let parts: [JSONValue]? = switch ending.kind {
            case .refusal: nil
            case .toolCall: [call]
            case .stop, .length: [["text": .text(text)]]
            }
            return interaction("POST", address, json: response(parts, finished: true, tokens: tokens))
        }
        var events: [ServerSentEvent]
        switch ending.kind {
        case .refusal: events = [ServerSentEvent(nil, response(nil, finished: true, tokens: 0))]
        case .toolCall: events = [ServerSentEvent(nil, response([call], finished: true, tokens: tokens))]
        case .stop, .length:
            let all = pieces(text)
            events = all.enumerated().map { index, piece in
                ServerSentEvent(nil, response([["text": .text(piece)]], finished: index == all.count - 1, tokens: index + 1))
            }
        }
        return self.stream("POST", address, events: events, separator: "\r\n\r\n")
    }

    /// A model list in Gemini's format (`GET /v1beta/models`, one page).
    ///
    /// - Parameters:
    ///   - ids: the models' ids without `models/`, in order.
    ///   - url: the request's URL (only its path is matched).
    public static func geminiModels(_ ids: [String] = ["gemini-2.0-flash", "gemini-2.5-pro"], url: String = "\(geminiBaseURL)/models") -> Interaction {
        interaction("GET", url, json: [
            "models": .array(ids.map {
                ["name": .text("models/\($0)"), "version": "001", "displayName": .text($0), "description": .text("\($0), stubbed by TapeDeck"),
                 "inputTokenLimit": 1_048_576, "outputTokenLimit": 8192, "supportedGenerationMethods": ["generateContent", "countTokens"]]
            }),
        ])
    }
}
