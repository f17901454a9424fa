// Error bodies as each provider writes them. Sources: OpenAI's "Error codes" guide
// ({"error":{"message","type","param","code"}}); Anthropic's "Errors" page
// ({"type":"error","error":{"type","message"}}, with a request-id header); Google's API design
// guide "Errors" ({"error":{"code","message","status"}}).

extension Stub {
    /// An error answer in `provider`'s shape, with the status, type and wording that provider
    /// uses for it; a `Retry-After` header when `retryAfter` is given (429 and 503 only).
    ///
    /// ```swift
    /// player.stub(try Stub.error(.openAI, status: 429, retryAfter: 2).answering(times: 1))
    /// ```
    ///
    /// - Parameters:
    ///   - provider: whose shape to use.
    ///   - status: the status, from 400 to 599.
    ///   - message: the message; by default the provider's usual wording for the status.
    ///   - retryAfter: seconds for a `Retry-After` header.
    ///   - method: the request's method.
    ///   - url: the request's URL (only its path is matched); by default the provider's chat endpoint.
    /// - Throws: ``TapeDeckError/Kind/invalidStub`` for a status outside 400...599, or a
    ///   `retryAfter` on a status other than 429 and 503, or negative.
    public static func error(_ provider: StubProvider, status: Int, message: String? = nil, retryAfter: Int? = nil,
                             method: String = "POST", url: String? = nil) throws(TapeDeckError) -> Interaction {
        guard (400...599).contains(status) else {
            throw TapeDeckError(.invalidStub, reason: "an error stub's status must be from 400 to 599, not \(status)")
        }
        var headers: HTTPHeaders = [:]
        if let retryAfter {
            guard status == 429 || status == 503 else {
                throw TapeDeckError(.invalidStub, reason: "Retry-After goes with a 429 or 503 answer, not \(status)")
            }
            guard retryAfter >= 0 else { throw TapeDeckError(.invalidStub, reason: "Retry-After must be 0 seconds or more, not \(retryAfter)") }
            headers.append(name: "Retry-After", value: String(retryAfter))
        }
        let text = message ?? defaultMessage(provider, status)
        switch provider {
        case .openAI:
            let (type, code): (String, JSONValue) = switch status {
            case 401: ("invalid_request_error", "invalid_api_key")
            case 429: ("requests", "rate_limit_exceeded")
            case 500...: ("server_error", nil)
            default: ("invalid_request_error", nil)
            }
            return interaction(method, url ?? openAIChatURL, status: status, json: [
                "error": ["message": .text(text), "type": .text(type), "param": nil, "code": code],
            ], headers: headers)
        case .anthropic:
            let type = switch status {
            case 401: "authentication_error"
            case 403: "permission_error"
            case 404: "not_found_error"
            case 413: "request_too_large"
            case 429: "rate_limit_error"
            case 529: "overloaded_error"
            case 500...: "api_error"
            default: "invalid_request_error"
            }
            headers.append(name: "request-id", value: "req_tapedeck_01")
            return interaction(method, url ?? anthropicMessagesURL, status: status, json: [
                "type": "error", "error": ["type": .text(type), "message": .text(text)], "request_id": "req_tapedeck_01",
            ], headers: headers)
        case .gemini:
            let state = switch status {
            case 401: "UNAUTHENTICATED"
            case 403: "PERMISSION_DENIED"
            case 404: "NOT_FOUND"
            case 429: "RESOURCE_EXHAUSTED"
            case 503: "UNAVAILABLE"
            case 504: "DEADLINE_EXCEEDED"
            case 500...: "INTERNAL"
            default: "INVALID_ARGUMENT"
            }
            return interaction(method, url ?? "\(geminiBaseURL)/models/gemini-2.0-flash:generateContent", status: status, json: [
                "error": ["code": .integer(status), "message": .text(text), "status": .text(state)],
            ], headers: headers)
        }
    }

    private static func defaultMessage(_ provider: StubProvider, _ status: Int) -> String {
        switch (provider, status) {
        case (.openAI, 401): "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."
        case (.anthropic, 401): "invalid x-api-key"
        case (.gemini, 401): "API key not valid. Please pass a valid API key."
        case (_, 429): "Rate limit reached; please retry after a short wait."
        case (_, 503), (_, 529): "The service is overloaded; please retry later."
        case (_, 500...): "The server had an error while processing your request."
        default: "The request was invalid (stubbed by TapeDeck)."
        }
    }
}
