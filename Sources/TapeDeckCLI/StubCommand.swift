import ArgumentParser
import Foundation
import TapeDeck

/// `tapedeck stub`: appends an answer made in code (a ``Stub``) to a cassette.
struct StubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stub",
        abstract: "Append an answer made in code, in a provider's exact shape, to a cassette (created if missing).",
        discussion: """
            Kinds: openai-chat, anthropic-messages, gemini-generate (--text, --stream, --ending, --tool/--arguments, --model); \
            openai-models, anthropic-models, gemini-models (--model repeated lists the ids); error (--provider, --status, \
            --message, --retry-after). A stub is matched on method and path (--match for more) before the recorded \
            interactions, answers every time unless --times limits it, and never counts as unplayed.
            Examples:
              tapedeck-cli stub openai-chat --cassette cassettes/chat.tape --text 'Paris.' --stream
              tapedeck-cli stub error --cassette cassettes/chat.tape --provider anthropic --status 429 --retry-after 2 --times 1
            """)

    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case openAIChat = "openai-chat", anthropicMessages = "anthropic-messages", geminiGenerate = "gemini-generate"
        case openAIModels = "openai-models", anthropicModels = "anthropic-models", geminiModels = "gemini-models"
        case error

        var isChat: Bool { [.openAIChat, .anthropicMessages, .geminiGenerate].contains(self) }
        var isModels: Bool { [.openAIModels, .anthropicModels, .geminiModels].contains(self) }
    }

    enum Ending: String, CaseIterable, ExpressibleByArgument {
        case stop, length, toolCall = "tool-call", refusal
    }

    @Argument(help: "What to stub: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind

    @Option(help: "The cassette to append to; created when it does not exist.")
    var cassette: String

    @Option(help: "The answer's text (chat kinds).")
    var text: String?

    @Flag(help: "Answer as server-sent events, as a streamed request gets (chat kinds).")
    var stream = false

    @Option(help: "How the answer ends (chat kinds): stop, length, tool-call, refusal.")
    var ending: Ending?

    @Option(help: "The tool a tool-call ending calls (chat kinds; implies --ending tool-call).")
    var tool: String?

    @Option(help: "The tool call's arguments, a JSON object (with --tool).")
    var arguments: String?

    @Option(help: "The model the answer names (chat kinds, once), or each model listed (models kinds, repeatable).")
    var model: [String] = []

    @Option(name: .customLong("owned-by"), help: "The owned_by of each model (openai-models).")
    var ownedBy: String?

    @Option(help: "Whose error shape to use (error): openai, anthropic, gemini.")
    var provider: String?

    @Option(help: "The error's status, 400 to 599 (error; required there).")
    var status: Int?

    @Option(help: "The error's message (error).")
    var message: String?

    @Option(name: .customLong("retry-after"), help: "Seconds for a Retry-After header (error, with --status 429 or 503).")
    var retryAfter: Int?

    @Option(help: "The request URL; only its path is matched (default: the provider's endpoint).")
    var url: String?

    @Option(help: "Answer at most this many matching requests, then leave them to what comes next.")
    var times: Int?

    @Option(help: "Match on these parts instead of method and path (repeatable): \(StubRule.Part.allCases.map(\.rawValue).joined(separator: ", ")).")
    var match: [String] = []

    func validate() throws {
        let chatOnly: [(String, Bool)] = [("--text", text != nil), ("--stream", stream), ("--ending", ending != nil), ("--tool", tool != nil),
                                          ("--arguments", arguments != nil)]
        let errorOnly: [(String, Bool)] = [("--provider", provider != nil), ("--status", status != nil), ("--message", message != nil),
                                           ("--retry-after", retryAfter != nil)]
        if !kind.isChat, let (option, _) = chatOnly.first(where: \.1) { throw ValidationError("\(option) goes with a chat kind, not \(kind.rawValue)") }
        if kind != .error, let (option, _) = errorOnly.first(where: \.1) { throw ValidationError("\(option) goes with the error kind, not \(kind.rawValue)") }
        if kind == .error, !model.isEmpty { throw ValidationError("--model goes with a chat or models kind, not error") }
        if kind.isChat, model.count > 1 { throw ValidationError("--model names the one model a \(kind.rawValue) answer comes from; give it once") }
        if kind.isModels, model.contains(where: \.isEmpty) { throw ValidationError("--model must not be empty") }
        if ownedBy != nil, kind != .openAIModels { throw ValidationError("--owned-by goes with openai-models, not \(kind.rawValue)") }
        if arguments != nil, tool == nil { throw ValidationError("--arguments needs --tool, the tool they are for") }
        if tool != nil, let ending, ending != .toolCall { throw ValidationError("--tool makes a tool-call ending; it cannot end with --ending \(ending.rawValue)") }
        if ending == .toolCall, tool == nil { throw ValidationError("--ending tool-call needs --tool NAME") }
        if let provider, StubProvider(rawValue: provider) == nil {
            throw ValidationError("--provider \(provider) is not one of \(StubProvider.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if kind == .error, status == nil { throw ValidationError("--status is required for an error stub (400 to 599)") }
        if let times, times < 1 { throw ValidationError("--times \(times) must be 1 or more") }
        if let url, URL(string: url)?.scheme.map({ ["http", "https"].contains($0.asciiLowercased) }) != true || URL(string: url)?.host == nil {
            throw ValidationError("--url \(url) is not an absolute http or https URL")
        }
        if let bad = match.first(where: { StubRule.Part(rawValue: $0) == nil }) {
            throw ValidationError("--match \(bad) is not one of \(StubRule.Part.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try interaction()
    }

    /// The stub the options describe; values that make no valid answer are a usage error naming the option.
    func interaction() throws -> Interaction {
        let made: Interaction
        do throws(TapeDeckError) {
            made = try build()
        } catch {
            let option = kind == .error ? (error.reason.contains("Retry-After") ? "--retry-after" : "--status") : "--arguments"
            throw ValidationError("\(option): \(error.reason)")
        }
        var stub = made
        if !match.isEmpty { stub = stub.matching(match.compactMap(StubRule.Part.init)) }
        if let times { stub = stub.answering(times: times) }
        return stub
    }

    private func build() throws(TapeDeckError) -> Interaction {
        let chatEnding: StubEnding = if let tool { try .toolCall(tool, arguments: arguments ?? "{}") } else {
            switch ending ?? .stop {
            case .stop, .toolCall: .stop
            case .length: .length
            case .refusal: .refusal
            }
        }
        let words = text ?? Stub.defaultText
        switch kind {
        case .openAIChat:
            return Stub.openAIChat(words, model: model.first ?? "gpt-4o-mini", ending: chatEnding, stream: stream, url: url ?? Stub.openAIChatURL)
        case .anthropicMessages:
            return Stub.anthropicMessages(words, model: model.first ?? "claude-sonnet-4-20250514", ending: chatEnding, stream: stream,
                                          url: url ?? Stub.anthropicMessagesURL)
        case .geminiGenerate:
            return Stub.geminiGenerate(words, model: model.first ?? "gemini-2.0-flash", ending: chatEnding, stream: stream, url: url)
        case .openAIModels:
            return Stub.openAIModels(model.isEmpty ? ["gpt-4o", "gpt-4o-mini"] : model, ownedBy: ownedBy ?? "openai", url: url ?? Stub.openAIModelsURL)
        case .anthropicModels:
            return model.isEmpty ? Stub.anthropicModels(url: url ?? Stub.anthropicModelsURL) : Stub.anthropicModels(model, url: url ?? Stub.anthropicModelsURL)
        case .geminiModels:
            return model.isEmpty ? Stub.geminiModels(url: url ?? "\(Stub.geminiBaseURL)/models") : Stub.geminiModels(model, url: url ?? "\(Stub.geminiBaseURL)/models")
        case .error:
            return try Stub.error(StubProvider(rawValue: provider ?? "openai") ?? .openAI, status: status ?? 500, message: message,
                                  retryAfter: retryAfter, url: url)
        }
    }

    func run() throws {
        let stub = try interaction()
        let file = URL(fileURLWithPath: cassette)
        do throws(TapeDeckError) {
            let appender = FileManager.default.fileExists(atPath: cassette)
                ? try CassetteAppender(appendingTo: file) : try CassetteAppender(creating: file)
            try appender.append(stub)
            try appender.close()
        } catch {
            throw CLIError(error.at(file: cassette).description)
        }
        let rule = stub.stub ?? .methodAndPath
        Console.line("\(cassette): stubbed \(stub.request.method) \(URL(string: stub.request.url)?.path ?? stub.request.url) -> \(stub.response.status)"
            + " (\(kind.rawValue)\(stream ? ", streamed" : ""); matched on \(rule.parts.map(\.rawValue).joined(separator: " and "))"
            + "\(rule.times.map { ", \($0) time\($0 == 1 ? "" : "s")" } ?? ""))")
    }
}
