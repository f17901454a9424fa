package import Foundation
package import TapeDeck

/// The reference upstream's answers, without I/O: the list-models calls of the API notes, each
/// API under its own path prefix so one server plays them all.
///
/// | prefix | plays | list-models call |
/// | --- | --- | --- |
/// | `/deepseek` | `https://api.deepseek.com` | `GET /models`, `GET /v1/models` (Bearer) |
/// | `/gateway` | an OpenAI-compatible multi-format gateway | `GET /v1/models`: Anthropic format with `x-api-key` + `anthropic-version`, Gemini format with `x-goog-api-key` or `?key=`, else OpenAI format (Bearer); `GET /v1beta/models` |
/// | `/gemini` | `https://generativelanguage.googleapis.com` | `GET /v1beta/models` (`x-goog-api-key` or `?key=`), paged by `pageSize` and `pageToken` |
/// | `/anthropic` | `https://api.anthropic.com` | `GET /v1/models` (`x-api-key`, `anthropic-version`), paged by `limit` and `after_id` |
///
/// A missing credential is a 401 in each API's documented error shape. A key starting with
/// `sk-invalid` is refused with a 401 that quotes the key back, as some upstreams do, so the
/// recorder's scrubbing of echoed keys can be exercised. `POST /deepseek/chat/completions` with
/// `"stream": true` answers server-sent events 50 ms apart.
///
/// With `movedOn`, every model list has moved on the way real ones do every few weeks: one model
/// retired and one added per API (see ``MovedOn``), so drift checks can be tested offline.
package enum ExampleAPI {
    /// One answer: status, headers, and the body in the pieces it is sent in.
    package struct Answer: Sendable, Equatable {
        package var status: Int
        package var headers: HTTPHeaders
        package var pieces: [String]
        /// Pause between pieces, in milliseconds.
        package var gap: Int = 0

        package var body: String { pieces.joined() }

        static func json(_ status: Int, _ body: JSONValue) -> Answer {
            Answer(status: status, headers: ["Content-Type": "application/json"], pieces: [String(decoding: body.encoded, as: UTF8.self)])
        }
    }

    /// What changes in each list when the upstream has moved on.
    package enum MovedOn {
        /// Retired models, by id.
        package static let retired: Set<String> = ["deepseek-reasoner", "gpt-4", "gemini-2.0-flash-lite", "claude-3-5-haiku-20241022"]
        /// Added models, one per API: DeepSeek, gateway, Gemini, Anthropic.
        static let deepseek = Model.deepseek("deepseek-v4")
        static let gateway = GatewayModel(
            openAI: Model.openAI("gpt-5", owner: "openai", created: 1754524800),
            gemini: Model.gemini("gpt-5", name: "GPT-5", description: "GPT-5 through the gateway", input: 400000, output: 128000),
            anthropic: Model.anthropic("gpt-5", name: "GPT-5", created: "2025-08-07T00:00:00Z"))
        static let gemini = Model.gemini("gemini-3-pro", name: "Gemini 3 Pro", input: 1048576, output: 65536)
        static let anthropic = Model.anthropic("claude-opus-5", name: "Claude Opus 5", created: "2026-09-01T00:00:00Z")
    }

    package static func answer(method: String, target: String, headers: HTTPHeaders, body: Data, movedOn: Bool = false) -> Answer {
        // Moved on: the retired models gone, one added at the end of each list.
        func listed<Entry>(_ models: [Entry], adding added: Entry, model: (Entry) -> JSONValue) -> [Entry] {
            movedOn ? models.filter { !MovedOn.retired.contains(Model.id(of: model($0))) } + [added] : models
        }
        let deepseekModels = listed(Self.deepseekModels, adding: MovedOn.deepseek) { $0 }
        let gatewayModels = listed(Self.gatewayModels, adding: MovedOn.gateway) { $0.openAI }
        let geminiModels = listed(Self.geminiModels, adding: MovedOn.gemini) { $0 }
        let anthropicModels = listed(Self.anthropicModels, adding: MovedOn.anthropic) { $0 }
        let (path, query) = split(target)
        switch (method, path) {
        case ("GET", "/deepseek/models"), ("GET", "/deepseek/v1/models"):
            return bearer(headers) ?? .json(200, ["object": "list", "data": .array(deepseekModels)])
        case ("POST", "/deepseek/chat/completions"):
            return bearer(headers) ?? chat(body)
        case ("GET", "/gateway/v1/models"):
            if headers["x-api-key"] != nil, headers["anthropic-version"] != nil {
                return keyCheck(headers["x-api-key"]) ?? anthropicPage(gatewayModels.map(\.anthropic), query: query)
            }
            if let key = headers["x-goog-api-key"] ?? query["key"] {
                return keyCheck(key) ?? geminiPage(gatewayModels.map(\.gemini), query: query)
            }
            return bearer(headers) ?? .json(200, ["object": "list", "data": .array(gatewayModels.map(\.openAI))])
        case ("GET", "/gateway/v1beta/models"), ("GET", "/gemini/v1beta/models"):
            guard let key = headers["x-goog-api-key"] ?? query["key"] else {
                return .json(401, ["error": ["code": 401, "message": "Method doesn't allow unregistered callers. Please use an API key.", "status": "UNAUTHENTICATED"]])
            }
            return keyCheck(key) ?? geminiPage(path.hasPrefix("/gemini") ? geminiModels : gatewayModels.map(\.gemini), query: query)
        case ("GET", "/anthropic/v1/models"):
            guard let key = headers["x-api-key"] else {
                return .json(401, ["type": "error", "error": ["type": "authentication_error", "message": "x-api-key header is required"]])
            }
            guard headers["anthropic-version"] != nil else {
                return .json(400, ["type": "error", "error": ["type": "invalid_request_error", "message": "anthropic-version: header is required"]])
            }
            return keyCheck(key) ?? anthropicPage(anthropicModels, query: query)
        case ("GET", "/"):
            return Answer(status: 200, headers: ["Content-Type": "text/plain"], pieces: [index])
        default:
            return .json(404, ["error": ["message": .text("tapedeck example-upstream has no \(method) \(path); see GET /"), "type": "not_found"]])
        }
    }

    // MARK: - Credentials

    private static func bearer(_ headers: HTTPHeaders) -> Answer? {
        guard let authorization = headers["authorization"], authorization.hasPrefix("Bearer ") else {
            return .json(401, ["error": ["message": "Authentication Fails, no api key provided (send Authorization: Bearer <key>)",
                                "type": "authentication_error", "param": nil, "code": "invalid_request_error"]])
        }
        return keyCheck(String(authorization.dropFirst(7)))
    }

    /// A key starting with `sk-invalid` is refused, and quoted back in the error.
    private static func keyCheck(_ key: String?) -> Answer? {
        guard let key, key.hasPrefix("sk-invalid") else { return nil }
        return .json(401, ["error": ["message": .text("Incorrect API key provided: \(key). You can find your API key in your account settings."),
                                "type": "authentication_error", "param": nil, "code": "invalid_api_key"]])
    }

    // MARK: - Listings

    package struct GatewayModel: Sendable {
        var openAI: JSONValue
        var gemini: JSONValue
        var anthropic: JSONValue
    }

    static let deepseekModels = [Model.deepseek("deepseek-chat"), Model.deepseek("deepseek-reasoner")]

    static let gatewayModels = [("gpt-4o", "openai", "GPT-4o", 1715367049), ("gpt-4", "openai", "GPT-4", 1687882411),
                                ("claude-sonnet-4-20250514", "anthropic", "Claude Sonnet 4", 1747872000),
                                ("gemini-2.0-flash", "google", "Gemini 2.0 Flash", 1733875200)].map { id, owner, name, created in
        GatewayModel(
            openAI: Model.openAI(id, owner: owner, created: created),
            gemini: Model.gemini(id, name: name, description: "\(name) through the gateway", input: 128000, output: 8192),
            anthropic: Model.anthropic(id, name: name, created: isoDate(created)))
    }

    static let geminiModels = [("gemini-2.5-pro", "Gemini 2.5 Pro", 1048576, 65536), ("gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, 65536),
                               ("gemini-2.0-flash", "Gemini 2.0 Flash", 1048576, 8192), ("gemini-2.0-flash-lite", "Gemini 2.0 Flash-Lite", 1048576, 8192),
                               ("text-embedding-004", "Text Embedding 004", 2048, 1)].map { id, name, input, output in
        Model.gemini(id, name: name, input: input, output: output)
    }

    static let anthropicModels = [("claude-opus-4-20250514", "Claude Opus 4", "2025-05-22T00:00:00Z"),
                                  ("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z"),
                                  ("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", "2025-02-24T00:00:00Z"),
                                  ("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z")].map { id, name, date in
        Model.anthropic(id, name: name, created: date)
    }

    /// Gemini paging: `pageSize` (default 50) and `pageToken` (an offset here).
    private static func geminiPage(_ models: [JSONValue], query: [String: String]) -> Answer {
        let size = max(1, Int(query["pageSize"] ?? "") ?? 50)
        let start = min(models.count, Int(query["pageToken"] ?? "") ?? 0)
        let end = min(models.count, start + size)
        var page: JSONValue = ["models": .array(Array(models[start..<end]))]
        if end < models.count { page.set("nextPageToken", .text(String(end))) }
        return .json(200, page)
    }

    /// Anthropic paging: `limit` (default 20) and `after_id`.
    private static func anthropicPage(_ models: [JSONValue], query: [String: String]) -> Answer {
        let ids = models.map(Model.id(of:))
        let limit = max(1, min(1000, Int(query["limit"] ?? "") ?? 20))
        let start = query["after_id"].flatMap { after in ids.firstIndex(of: after).map { $0 + 1 } } ?? 0
        let end = min(models.count, start + limit)
        let page = Array(models[start..<end])
        return .json(200, ["data": .array(page), "has_more": .bool(end < models.count),
                           "first_id": .text(orNull: page.first.map(Model.id(of:))), "last_id": .text(orNull: page.last.map(Model.id(of:)))])
    }

    private static func chat(_ body: Data) -> Answer {
        let request = try? JSONParser.parse(body)
        let model = request?["model"]?.string ?? "deepseek-chat"
        guard case .bool(true) = request?["stream"] else {
            return .json(200, ["id": "example-1", "object": "chat.completion", "created": 0, "model": .text(model),
                               "choices": [["index": 0, "message": ["role": "assistant", "content": "Hello from the example upstream."], "finish_reason": "stop"]]])
        }
        let words = ["Hello", " from", " the", " example", " upstream."]
        let events = words.map { word in
            let chunk: JSONValue = ["id": "example-1", "object": "chat.completion.chunk", "created": 0, "model": .text(model),
                                    "choices": [["index": 0, "delta": ["content": .text(word)], "finish_reason": nil]]]
            return "data: \(String(decoding: chunk.encoded, as: UTF8.self))\n\n"
        } + ["data: [DONE]\n\n"]
        return Answer(status: 200, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"], pieces: events, gap: 50)
    }

    private static func isoDate(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    private static func split(_ target: String) -> (path: String, query: [String: String]) {
        guard let question = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for item in target[target.index(after: question)...].split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            query[name] = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
        }
        return (String(target[..<question]), query)
    }

    private static let index = """
        tapedeck example-upstream: a local stand-in for the list-models calls of these APIs.
          /deepseek   GET /models, GET /v1/models, POST /chat/completions   (Authorization: Bearer KEY)
          /gateway    GET /v1/models in OpenAI, Gemini or Anthropic format by the credential header; GET /v1beta/models
          /gemini     GET /v1beta/models?pageSize=N&pageToken=T   (x-goog-api-key: KEY or ?key=KEY)
          /anthropic  GET /v1/models?limit=N&after_id=ID   (x-api-key: KEY, anthropic-version: 2023-06-01)
        Any key is accepted but one starting with sk-invalid, which gets a 401 that quotes it back.

        """
}
