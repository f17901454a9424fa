import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Lists the models an API offers, in one `Model` type whatever the format: an OpenAI-compatible
/// base URL (DeepSeek, OpenAI, a gateway), Gemini, or Anthropic. Follows paging.
///
/// ```swift
/// let catalog = ModelCatalog(api: .openAICompatible(baseURL: URL(string: "https://api.deepseek.com")!), apiKey: key)
/// let models = try await catalog.models()
/// ```
public struct ModelCatalog: Sendable {
    /// Which API, and where.
    public enum API: Sendable {
        /// `GET {baseURL}/models` (or `/v1/models`), Bearer auth, OpenAI's list shape.
        case openAICompatible(baseURL: URL)
        /// `GET {baseURL}/{path}`, `x-goog-api-key`, paged by `pageSize`/`pageToken`. A gateway
        /// serves this format at `v1/models` when it sees `x-goog-api-key`.
        case gemini(baseURL: URL = URL(string: "https://generativelanguage.googleapis.com")!, path: String = "v1beta/models", pageSize: Int? = nil)
        /// `GET {baseURL}/v1/models`, `x-api-key` + `anthropic-version`, paged by `limit`/`after_id`.
        case anthropic(baseURL: URL = URL(string: "https://api.anthropic.com")!, limit: Int? = nil)
    }

    public let api: API
    private let apiKey: String
    private let session: URLSession

    public init(api: API, apiKey: String, session: URLSession = .shared) {
        self.api = api
        self.apiKey = apiKey
        self.session = session
    }

    /// Every model, all pages.
    public func models() async throws -> [Model] {
        switch api {
        case .openAICompatible(let baseURL):
            let list: OpenAIList = try await get(baseURL.appendingPathComponent("models"), headers: ["Authorization": "Bearer \(apiKey)"])
            return list.data.map { Model(id: $0.id, owner: $0.owned_by) }
        case .gemini(let baseURL, let path, let pageSize):
            var models: [Model] = []
            var token: String?
            repeat {
                var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
                let items = (pageSize.map { [URLQueryItem(name: "pageSize", value: String($0))] } ?? []) + (token.map { [URLQueryItem(name: "pageToken", value: $0)] } ?? [])
                components.queryItems = items.isEmpty ? nil : items
                let page: GeminiPage = try await get(components.url!, headers: ["x-goog-api-key": apiKey])
                models += page.models.map { Model(id: String($0.name.dropFirst("models/".count)), displayName: $0.displayName, owner: "google") }
                token = page.nextPageToken
            } while token != nil
            return models
        case .anthropic(let baseURL, let limit):
            var models: [Model] = []
            var after: String?
            while true {
                var components = URLComponents(url: baseURL.appendingPathComponent("v1/models"), resolvingAgainstBaseURL: false)!
                let items = (limit.map { [URLQueryItem(name: "limit", value: String($0))] } ?? []) + (after.map { [URLQueryItem(name: "after_id", value: $0)] } ?? [])
                components.queryItems = items.isEmpty ? nil : items
                let page: AnthropicPage = try await get(components.url!, headers: ["x-api-key": apiKey, "anthropic-version": "2023-06-01"])
                models += page.data.map { Model(id: $0.id, displayName: $0.display_name, owner: "anthropic") }
                guard page.has_more, let last = page.last_id else { return models }
                after = last
            }
        }
    }

    private func get<Answer: Decodable>(_ url: URL, headers: [String: String]) async throws -> Answer {
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let message = (try? JSONDecoder().decode(ErrorAnswer.self, from: data))?.error.message
            throw ModelCatalogError(status: status, message: message ?? String(decoding: data, as: UTF8.self))
        }
        return try JSONDecoder().decode(Answer.self, from: data)
    }
}

/// An API answered with an error status.
public struct ModelCatalogError: Error, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var description: String { "the API answered \(status): \(message)" }
}

// The wire shapes (public API references).
private struct OpenAIList: Decodable {
    struct Entry: Decodable { var id: String; var owned_by: String? }
    var data: [Entry]
}

private struct GeminiPage: Decodable {
    struct Entry: Decodable { var name: String; var displayName: String? }
    var models: [Entry]
    var nextPageToken: String?
}

private struct AnthropicPage: Decodable {
    struct Entry: Decodable { var id: String; var display_name: String? }
    var data: [Entry]
    var has_more: Bool
    var last_id: String?
}

private struct ErrorAnswer: Decodable {
    struct Detail: Decodable { var message: String }
    var error: Detail
}
