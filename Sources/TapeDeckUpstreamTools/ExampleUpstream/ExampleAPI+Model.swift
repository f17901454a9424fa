import TapeDeck

extension ExampleAPI {
    /// One model entry in each API's shape, built as JSON values (escaped by the writer, never by
    /// string interpolation), and read back by field rather than by searching the text.
    enum Model {
        /// DeepSeek's (OpenAI's) shape: `{"id":..., "object":"model", "owned_by":"deepseek"}`.
        static func deepseek(_ id: String) -> JSONValue {
            ["id": .text(id), "object": "model", "owned_by": "deepseek"]
        }

        /// OpenAI's shape with a creation time, as a gateway lists its models.
        static func openAI(_ id: String, owner: String, created: Int) -> JSONValue {
            ["id": .text(id), "object": "model", "created": .integer(created), "owned_by": .text(owner)]
        }

        /// Gemini's shape, named `models/ID`; the description is the display name unless given.
        static func gemini(_ id: String, name: String, description: String? = nil, input: Int, output: Int) -> JSONValue {
            ["name": .text("models/" + id), "version": "001", "displayName": .text(name), "description": .text(description ?? name),
             "inputTokenLimit": .integer(input), "outputTokenLimit": .integer(output),
             "supportedGenerationMethods": ["generateContent", "countTokens"]]
        }

        /// Anthropic's shape.
        static func anthropic(_ id: String, name: String, created: String) -> JSONValue {
            ["type": "model", "id": .text(id), "display_name": .text(name), "created_at": .text(created)]
        }

        /// The model's id: its `id`, or its Gemini `name` without `models/`.
        static func id(of model: JSONValue) -> String {
            if let id = model["id"]?.string { return id }
            let name = model["name"]?.string ?? ""
            return name.hasPrefix("models/") ? String(name.dropFirst("models/".count)) : name
        }
    }
}
