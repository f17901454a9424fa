import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// Lists the models of an OpenAI-compatible API (`GET {baseURL}/models`) through
/// AsyncHTTPClient, retrying a `429` or `503` after the `Retry-After` the server asks for.
public struct ModelLister: Sendable {
    /// Why the models could not be listed.
    public enum Failure: Error, Equatable {
        /// The API answered with this status (after the retries, for 429 and 503).
        case status(Int)
        /// The answer was not a model list.
        case notAModelList
    }

    private struct ModelList: Decodable {
        struct Model: Decodable { var id: String }
        var data: [Model]
    }

    public let baseURL: URL
    private let apiKey: String
    private let client: HTTPClient
    private let retries: Int
    private let longestWait: Duration

    /// - Parameters:
    ///   - baseURL: `https://api.deepseek.com`, or a test server's base URL.
    ///   - apiKey: sent as `Authorization: Bearer`.
    ///   - client: the HTTP client (the shared one by default).
    ///   - retries: how many times a 429 or 503 is retried.
    ///   - longestWait: the longest `Retry-After` honoured.
    public init(baseURL: URL, apiKey: String, client: HTTPClient = .shared, retries: Int = 2, longestWait: Duration = .seconds(30)) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.client = client
        self.retries = retries
        self.longestWait = longestWait
    }

    /// The model ids, in the API's order, and how many requests it took.
    public func models() async throws -> (ids: [String], attempts: Int) {
        var request = HTTPClientRequest(url: baseURL.appendingPathComponent("models").absoluteString)
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "Accept", value: "application/json")
        var attempt = 0
        while true {
            attempt += 1
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 8 << 20)
            switch response.status.code {
            case 200:
                guard let list = try? JSONDecoder().decode(ModelList.self, from: body) else { throw Failure.notAModelList }
                return (list.data.map(\.id), attempt)
            case 429, 503:
                guard attempt <= retries else { throw Failure.status(Int(response.status.code)) }
                let seconds = response.headers.first(name: "retry-after").flatMap(Int.init) ?? 1
                try await Task.sleep(for: min(.seconds(seconds), longestWait))
            default:
                throw Failure.status(Int(response.status.code))
            }
        }
    }
}
