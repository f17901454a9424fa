/// A model, whichever API listed it.
public struct Model: Hashable, Sendable {
    /// The identifier to send in requests, e.g. `deepseek-chat` or `gemini-2.0-flash`.
    public var id: String
    /// A human-readable name, when the API gives one.
    public var displayName: String?
    /// Who owns or serves it, when the API says.
    public var owner: String?

    public init(id: String, displayName: String? = nil, owner: String? = nil) {
        self.id = id
        self.displayName = displayName
        self.owner = owner
    }
}
