public import Foundation
public import TapeDeck

extension RecordedRequest {
    /// The request's JSON body decoded as `type`, for assertions on what the code under test
    /// sent: the model, the prompt, the tools, the temperature.
    ///
    /// ```swift
    /// struct Chat: Decodable { var model: String; var temperature: Double? }
    /// let chat = try player.requests[0].decodedBody(as: Chat.self)
    /// #expect(chat.model == "deepseek-chat")
    /// ```
    ///
    /// - Parameters:
    ///   - type: the `Decodable` type the body should be.
    ///   - decoder: the decoder to use (a plain `JSONDecoder` by default).
    /// - Throws: ``ReplayError`` of kind ``ReplayError/Kind/notJSON`` naming the request: it has no
    ///   body, the body is not JSON, or it does not have the shape of `type` (with the decoder's
    ///   own account of where).
    public func decodedBody<T: Decodable>(as type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws(ReplayError) -> T {
        let label = "\(method) \(url)"
        guard let body, !body.isEmpty else {
            throw ReplayError(.notJSON, reason: "\(label) has no body to decode as \(T.self)")
        }
        do {
            return try decoder.decode(T.self, from: body)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            let start = String(decoding: body.prefix(60), as: UTF8.self)
            throw ReplayError(.notJSON, reason: "the body of \(label) is not JSON (it starts '\(start)'): \(context.debugDescription)")
        } catch let error as DecodingError {
            throw ReplayError(.notJSON, reason: "the body of \(label) is JSON but not a \(T.self): \(Self.describe(error))")
        } catch {
            throw ReplayError(.notJSON, reason: "the body of \(label) could not be decoded as \(T.self): \(error)")
        }
    }

    /// Where a decoding error happened, as a dotted path, and what was wrong.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "no '\(key.stringValue)' at \(path(context.codingPath))"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)) is not a \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)) is null, not a \(type)"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
