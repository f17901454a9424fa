import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The code under test in the README's LLM-test snippet: a small chat client that retries once
/// after a 429, waiting what `Retry-After` says.
struct ChatClient {
    var session: URLSession
    var baseURL = URL(string: "https://api.deepseek.com/v1")!   // DeepSeek accepts /v1 too

    func ask(_ question: String, user: String = UUID().uuidString) async throws -> String {
        var request = URLRequest(url: baseURL.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.setValue("Bearer any-key", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: [
            "model": "deepseek-chat", "user": user, "messages": [["role": "user", "content": question]],
        ])
        for _ in 0..<2 {
            let (data, response) = try await session.data(for: request)
            let http = response as? HTTPURLResponse
            if http?.statusCode == 429 {
                let wait = Int(http?.value(forHTTPHeaderField: "Retry-After") ?? "") ?? 1
                try await Task.sleep(for: .seconds(wait))
                continue
            }
            struct Answer: Decodable {
                struct Choice: Decodable { struct Message: Decodable { var content: String? }; var message: Message }
                var choices: [Choice]
            }
            return try JSONDecoder().decode(Answer.self, from: data).choices.first?.message.content ?? ""
        }
        throw URLError(.resourceUnavailable)
    }
}
