import Foundation

/// Answers made in code, not recorded: the exact JSON and server-sent-event shapes of each
/// provider's API, for the errors and edge cases a live API will not produce on demand.
///
/// Each function returns an ``Interaction`` whose ``Interaction/stub`` rule matches on method
/// and path (``Interaction/matching(_:)`` for more), so it answers whatever host the client
/// talks to. Add stubs to a player or a cassette server, beside the recorded interactions:
///
/// ```swift
/// let player = try CassettePlayer(contentsOf: cassetteURL)
/// player.stub(try Stub.error(.openAI, status: 429, retryAfter: 1).answering(times: 1))
/// player.stub(Stub.openAIChat("Paris.", ending: .length, stream: true))
/// ```
///
/// From a shell, `tapedeck-cli stub KIND --cassette FILE` appends one to a cassette file.
public enum Stub {
    /// The text an answer carries unless told otherwise.
    public static let defaultText = "Hello from TapeDeck."
    /// The prompt size every stub reports in its usage figures.
    static let promptTokens = 10

    /// The interaction for an answer made in code: `method` and `url` as the request, matched on
    /// method and path.
    static func interaction(_ method: String, _ url: String, status: Int = 200, json: JSONValue,
                            headers: HTTPHeaders = [:]) -> Interaction {
        var all: HTTPHeaders = ["Content-Type": "application/json"]
        for header in headers { all.append(name: header.name, value: header.value) }
        return Interaction(request: RecordedRequest(method: method, url: url),
                           response: RecordedResponse(status: status, headers: all, body: Data(json.encoded)),
                           stub: .methodAndPath)
    }

    /// The interaction for a streamed answer: each event is one chunk of the body, as a live
    /// stream arrives.
    static func stream(_ method: String, _ url: String, events: [ServerSentEvent], separator: String = "\n\n") -> Interaction {
        var body = Data()
        var chunks: [ResponseChunk] = []
        for event in events {
            let piece = event.encoded(separator: separator)
            body.append(piece)
            chunks.append(ResponseChunk(size: piece.count, milliseconds: 0))
        }
        return Interaction(request: RecordedRequest(method: method, url: url),
                           response: RecordedResponse(status: 200, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"],
                                                      body: body, chunks: chunks),
                           stub: .methodAndPath)
    }

    /// `text` cut where a model's tokens would be: each word with the space before it.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character == " ", !current.isEmpty, current.last != " " {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty || pieces.isEmpty { pieces.append(current) }
        return pieces
    }

    /// The usage figure for an answer of `text`: one token per piece.
    static func completionTokens(_ text: String) -> Int { text.isEmpty ? 0 : pieces(text).count }
}

/// One server-sent event: an optional `event:` name and one `data:` line.
struct ServerSentEvent {
    var name: String?
    var data: [UInt8]

    init(_ name: String? = nil, _ json: JSONValue) {
        self.name = name
        data = json.encoded
    }

    init(raw text: String) {
        name = nil
        data = Array(text.utf8)
    }

    func encoded(separator: String) -> Data {
        var text = Data()
        if let name { text.append(Data("event: \(name)\n".utf8)) }
        text.append(Data("data: ".utf8))
        text.append(contentsOf: data)
        text.append(Data(separator.utf8))
        return text
    }
}

/// How a stubbed answer ends: a full stop, cut short at the token limit, a tool call, or a
/// refusal. Each provider spells these its own way (`finish_reason`, `stop_reason`, `finishReason`).
public struct StubEnding: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case stop, length, toolCall, refusal }
    let kind: Kind
    /// The tool's name, for a tool call.
    let tool: String?
    /// The tool's arguments, parsed (an object), for a tool call.
    let arguments: [UInt8]?

    /// The model finished its answer.
    public static let stop = StubEnding(kind: .stop, tool: nil, arguments: nil)
    /// The answer was cut at the token limit (`length`, `max_tokens`, `MAX_TOKENS`).
    public static let length = StubEnding(kind: .length, tool: nil, arguments: nil)
    /// The model refused; the text is the refusal.
    public static let refusal = StubEnding(kind: .refusal, tool: nil, arguments: nil)

    /// The model calls the tool `name` with `arguments`, a JSON object's text.
    ///
    /// - Throws: ``TapeDeckError/Kind/invalidStub`` when `name` is empty or `arguments` is not a
    ///   JSON object.
    public static func toolCall(_ name: String, arguments: String = "{}") throws(TapeDeckError) -> StubEnding {
        guard !name.isEmpty else { throw TapeDeckError(.invalidStub, reason: "a tool call needs the tool's name") }
        guard let parsed = try? JSONParser.parse(Array(arguments.utf8)), case .object = parsed else {
            throw TapeDeckError(.invalidStub, reason: "the tool call's arguments must be a JSON object, like {\"city\":\"Paris\"}; got \(arguments.prefix(80))")
        }
        return StubEnding(kind: .toolCall, tool: name, arguments: parsed.encoded)
    }

    /// The arguments as a JSON value (an object).
    var argumentsValue: JSONValue { (try? JSONParser.parse(arguments ?? Array("{}".utf8))) ?? [:] }
    /// The arguments as compact JSON text (what OpenAI puts in a string).
    var argumentsText: String { String(decoding: arguments ?? Array("{}".utf8), as: UTF8.self) }
}

/// The provider whose shapes a stub uses.
public enum StubProvider: String, CaseIterable, Sendable {
    /// OpenAI, and the OpenAI-compatible APIs (DeepSeek, gateways).
    case openAI = "openai"
    /// Anthropic's Messages API.
    case anthropic
    /// Google's Gemini API.
    case gemini
}
