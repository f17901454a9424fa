// Anthropic's shapes. Source: the API reference, "Messages", "Streaming Messages" (the event
// types message_start, content_block_start, ping, content_block_delta, content_block_stop,
// message_delta, message_stop) and "List Models" (docs.anthropic.com/en/api).

extension Stub {
    /// The Anthropic messages endpoint.
    public static let anthropicMessagesURL = "https://api.anthropic.com/v1/messages"
    /// The Anthropic list-models endpoint.
    public static let anthropicModelsURL = "https://api.anthropic.com/v1/models"

    /// A message (`POST /v1/messages`): `text` as one text block, or, with `stream`, as the
    /// streamed event types from `message_start` to `message_stop`.
    ///
    /// ```swift
    /// player.stub(Stub.anthropicMessages(ending: try .toolCall("get_weather", arguments: #"{"city":"Paris"}"#)))
    /// ```
    ///
    /// - Parameters:
    ///   - text: the assistant's text (unused for a tool call).
    ///   - model: the model the answer names.
    ///   - ending: `stop_reason` `end_turn`, `max_tokens`, `tool_use` (with a `tool_use` block), or `refusal`.
    ///   - stream: answer as server-sent events, as `"stream": true` asks.
    ///   - url: the request's URL (only its path is matched).
    public static func anthropicMessages(_ text: String = defaultText, model: String = "claude-sonnet-4-20250514",
                                         ending: StubEnding = .stop, stream: Bool = false, url: String = anthropicMessagesURL) -> Interaction {
        let reason: JSONValue = switch ending.kind {
        case .stop: "end_turn"
        case .length: "max_tokens"
        case .toolCall: "tool_use"
        case .refusal: "refusal"
        }
        let isTool = ending.kind == .toolCall
        let tokens = isTool ? completionTokens(ending.argumentsText) : completionTokens(text)
        let id = "msg_tapedeck_01"
        let toolBlock: JSONValue = ["type": "tool_use", "id": "toolu_tapedeck_01", "name": .text(ending.tool ?? ""), "input": ending.argumentsValue]
        guard stream else {
            return interaction("POST", url, json: [
                "id": .text(id), "type": "message", "role": "assistant", "model": .text(model),
                "content": [isTool ? toolBlock : ["type": "text", "text": .text(text)]],
                "stop_reason": reason, "stop_sequence": nil,
                "usage": ["input_tokens": .integer(promptTokens), "output_tokens": .integer(tokens)],
            ])
        }
        let start: JSONValue = ["type": "message_start", "message": [
            "id": .text(id), "type": "message", "role": "assistant", "model": .text(model), "content": [],
            "stop_reason": nil, "stop_sequence": nil, "usage": ["input_tokens": .integer(promptTokens), "output_tokens": 1]]]
        let opening: JSONValue = isTool
            ? ["type": "tool_use", "id": "toolu_tapedeck_01", "name": .text(ending.tool ?? ""), "input": [:]]
            : ["type": "text", "text": ""]
        let deltas = (isTool ? pieces(ending.argumentsText) : pieces(text)).map { piece -> ServerSentEvent in
            let delta: JSONValue = isTool ? ["type": "input_json_delta", "partial_json": .text(piece)] : ["type": "text_delta", "text": .text(piece)]
            return ServerSentEvent("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": delta])
        }
        let events = [
            ServerSentEvent("message_start", start),
            ServerSentEvent("content_block_start", ["type": "content_block_start", "index": 0, "content_block": opening]),
            ServerSentEvent("ping", ["type": "ping"]),
        ] + deltas + [
            ServerSentEvent("content_block_stop", ["type": "content_block_stop", "index": 0]),
            ServerSentEvent("message_delta", ["type": "message_delta", "delta": ["stop_reason": reason, "stop_sequence": nil],
                                              "usage": ["output_tokens": .integer(tokens)]]),
            ServerSentEvent("message_stop", ["type": "message_stop"]),
        ]
        return self.stream("POST", url, events: events)
    }

    /// A model list in Anthropic's format (`GET /v1/models`, one page).
    ///
    /// - Parameters:
    ///   - ids: the models' ids, in order; each is its own `display_name` too.
    ///   - url: the request's URL (only its path is matched).
    public static func anthropicModels(_ ids: [String] = ["claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"],
                                       url: String = anthropicModelsURL) -> Interaction {
        interaction("GET", url, json: [
            "data": .array(ids.map { ["type": "model", "id": .text($0), "display_name": .text($0), "created_at": "2025-05-22T00:00:00Z"] }),
            "has_more": false,
            "first_id": ids.first.map(JSONValue.text) ?? nil,
            "last_id": ids.last.map(JSONValue.text) ?? nil,
        ])
    }
}
