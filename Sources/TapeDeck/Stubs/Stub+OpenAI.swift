// OpenAI's shapes (Chat Completions and List models), which DeepSeek and the OpenAI-compatible
// gateways share. Source: the API reference, "The chat completion object", "The chat
// completion chunk object" and "List models" (platform.openai.com/docs/api-reference).

extension Stub {
    /// The OpenAI chat completions endpoint.
    public static let openAIChatURL = "https://api.openai.com/v1/chat/completions"
    /// The OpenAI list-models endpoint.
    public static let openAIModelsURL = "https://api.openai.com/v1/models"

    /// A chat completion (`POST /v1/chat/completions`): `text` as the assistant's message, or,
    /// with `stream`, as `chat.completion.chunk` events ending in `data: [DONE]`.
    ///
    /// ```swift
    /// player.stub(Stub.openAIChat("It is sunny.", model: "deepseek-chat", ending: .length, stream: true))
    /// ```
    ///
    /// - Parameters:
    ///   - text: the assistant's text (the refusal's text for ``StubEnding/refusal``; unused for a tool call).
    ///   - model: the model the answer names.
    ///   - ending: `finish_reason` `stop`, `length`, `tool_calls` (with `tool_calls`), or a refusal.
    ///   - stream: answer as server-sent events, as `stream: true` asks.
    ///   - url: the request's URL (only its path is matched).
    public static func openAIChat(_ text: String = defaultText, model: String = "gpt-4o-mini", ending: StubEnding = .stop,
                                  stream: Bool = false, url: String = openAIChatURL) -> Interaction {
        let finish: JSONValue = switch ending.kind {
        case .stop, .refusal: "stop"
        case .length: "length"
        case .toolCall: "tool_calls"
        }
        let id = "chatcmpl-tapedeck", created = JSONValue.integer(1_700_000_000)
        let toolCall: JSONValue = ["id": "call_tapedeck_1", "type": "function",
                                   "function": ["name": .text(ending.tool ?? ""), "arguments": .text(ending.argumentsText)]]
        guard stream else {
            var message: JSONValue.Members = [.init(key: "role", value: "assistant")]
            switch ending.kind {
            case .stop, .length: message += [.init(key: "content", value: .text(text)), .init(key: "refusal", value: nil)]
            case .refusal: message += [.init(key: "content", value: nil), .init(key: "refusal", value: .text(text))]
            case .toolCall: message += [.init(key: "content", value: nil), .init(key: "refusal", value: nil), .init(key: "tool_calls", value: [toolCall])]
            }
            let tokens = ending.kind == .toolCall ? completionTokens(ending.argumentsText) : completionTokens(text)
            return interaction("POST", url, json: [
                "id": .text(id), "object": "chat.completion", "created": created, "model": .text(model),
                "choices": [["index": 0, "message": .object(message), "logprobs": nil, "finish_reason": finish]],
                "usage": ["prompt_tokens": .integer(promptTokens), "completion_tokens": .integer(tokens),
                          "total_tokens": .integer(promptTokens + tokens)],
                "system_fingerprint": nil,
            ])
        }
        func chunk(_ delta: JSONValue, finish: JSONValue = nil) -> ServerSentEvent {
            ServerSentEvent(nil, ["id": .text(id), "object": "chat.completion.chunk", "created": created, "model": .text(model),
                                  "choices": [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]]])
        }
        var events: [ServerSentEvent]
        switch ending.kind {
        case .stop, .length:
            events = [chunk(["role": "assistant", "content": "", "refusal": nil])] + pieces(text).map { chunk(["content": .text($0)]) }
        case .refusal:
            events = [chunk(["role": "assistant", "content": nil, "refusal": ""])] + pieces(text).map { chunk(["refusal": .text($0)]) }
        case .toolCall:
            let opening: JSONValue = ["role": "assistant", "content": nil, "tool_calls": [[
                "index": 0, "id": "call_tapedeck_1", "type": "function", "function": ["name": .text(ending.tool ?? ""), "arguments": ""]]]]
            events = [chunk(opening)] + pieces(ending.argumentsText).map {
                chunk(["tool_calls": [["index": 0, "function": ["arguments": .text($0)]]]])
            }
        }
        events.append(chunk([:], finish: finish))
        events.append(ServerSentEvent(raw: "[DONE]"))
        return self.stream("POST", url, events: events)
    }

    /// A model list in OpenAI's format (`GET /v1/models`), as OpenAI, DeepSeek and the gateways
    /// answer it.
    ///
    /// - Parameters:
    ///   - ids: the models' ids, in order.
    ///   - ownedBy: the `owned_by` of each (`openai`, `deepseek`, `system`...).
    ///   - url: the request's URL (only its path is matched).
    public static func openAIModels(_ ids: [String] = ["gpt-4o", "gpt-4o-mini"], ownedBy: String = "openai",
                                    url: String = openAIModelsURL) -> Interaction {
        interaction("GET", url, json: [
            "object": "list",
            "data": .array(ids.map { ["id": .text($0), "object": "model", "created": 1_700_000_000, "owned_by": .text(ownedBy)] }),
        ])
    }
}
