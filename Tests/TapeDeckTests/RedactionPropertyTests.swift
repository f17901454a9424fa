import Foundation
import TapeDeckTestSupport
import PropertyBased
import Testing
@testable import TapeDeck

/// Random keys in random places: no byte sequence of any key may reach the file, compressed
/// or not, in any encoded form, whether the key was sent as a credential (a header, a query
/// parameter, Basic, a JSON or form body field) or echoed back anywhere else (a body, a header,
/// the URL; as written, base64, percent-encoded or \u-escaped).
@Suite struct RedactionPropertyTests {
    /// Where a key is sent as a credential.
    private static func send(_ key: String, place: Int, to request: inout RecordedRequest) {
        switch place {
        case 0: request.headers.append(name: "Authorization", value: "Bearer \(key)")
        case 1: request.headers.append(name: "X-API-Key", value: key)
        case 2: request.headers.append(name: "x-goog-api-key", value: key)
        case 3: request.headers.append(name: "api-key", value: key)
        case 4: request.url += (request.url.contains("?") ? "&" : "?") + "key=\(key)"
        case 5: request.url += (request.url.contains("?") ? "&" : "?") + "api_key=\(key)"
        case 6: request.headers.append(name: "Cookie", value: "theme=dark; session=\(key)")
        case 7: request.headers.append(name: "proxy-authorization", value: "Basic \(key)")
        case 8: request.headers.append(name: "Ocp-Apim-Subscription-Key", value: key)
        case 9: request.headers.append(name: "Authorization", value: "Basic " + Data("user:\(key)".utf8).base64EncodedString())
        case 10: request.body = (request.body ?? Data()) + Data(#"{"model":"m","api_key":"\#(key)"}"#.utf8)
        default:
            request.headers.append(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = Data("grant_type=client_credentials&client_secret=\(key)".utf8)
        }
    }

    /// Where a key is echoed back (or leaked) outside a credential header.
    private static func echo(_ key: String, place: Int, in interaction: inout Interaction) {
        switch place {
        case 0:
            let added = Data(#"{"error":{"message":"Incorrect API key provided: \#(key)"}}"#.utf8)
            interaction.response.body.append(added)
            interaction.response.chunks?.append(ResponseChunk(size: added.count, milliseconds: 9))
        case 1:
            // A body field in the body's own syntax: form or JSON.
            let isForm = interaction.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
            interaction.request.body = (interaction.request.body ?? Data()) + Data((isForm ? "&api_key=\(key)" : #"{"api_key":"\#(key)"}"#).utf8)
        case 2: interaction.response.headers.append(name: "x-echo", value: "Bearer \(key)")
        case 3: interaction.request.headers.append(name: "X-Debug", value: "sent \(key) upstream")
        case 4: interaction.request.url = interaction.request.url.replacingOccurrences(of: "/models", with: "/models/\(key)")
        case 5: interaction.request.url += (interaction.request.url.contains("?") ? "&" : "?") + "q=\(key)"
        case 6: interaction.response.headers.append(name: "x-echo-basic", value: "user:\(key)")
        case 7:
            // Base64 of a document holding the key, at a random alignment.
            let document = String(repeating: "x", count: key.count % 3) + #"{"k":""# + key + #""}"#
            interaction.response.body += Data((#"{"blob":""# + Data(document.utf8).base64EncodedString() + #""}"#).utf8)
            interaction.response.chunks = nil
        case 8:
            let urlSafe = Data("id:\(key)".utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            interaction.response.headers.append(name: "x-trace", value: urlSafe)
        case 9:
            interaction.request.url += (interaction.request.url.contains("?") ? "&" : "?") + "echo=" + key.utf8.map { String(format: "%%%02X", $0) }.joined()
        case 10:
            interaction.response.body += Data(#"{"echo":"\#(key.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined())"}"#.utf8)
            interaction.response.chunks = nil
        default:
            // Split across two chunks of a streamed body.
            let half = key.index(key.startIndex, offsetBy: key.count / 2)
            let pieces = [Data("data: \(key[..<half])".utf8), Data("\(key[half...])\n\n".utf8)]
            let offset = interaction.response.body.count
            interaction.response.chunks = [ResponseChunk(size: offset, milliseconds: 0)] + pieces.map { ResponseChunk(size: $0.count, milliseconds: 5) }
            interaction.response.body += pieces.joined()
        }
    }

    private static let keys = Gen.letterOrNumber.string(of: 10...40).map { "sk-" + $0 }.array(of: 3)
    private static let places = Gen.int(in: 0...11).array(of: 3)
    private static let echoes = Gen.int(in: 0...11).array(of: 6)

    @Test func noKeyBytesReachTheCassetteFile() async throws {
        let directory = try TemporaryDirectory()
        await propertyCheck(count: 150, input: Self.keys, Self.places, Self.echoes) { keys, places, echoes in
            var interactions = keys.indices.map { _ in Fixtures.listModels(headers: ["Accept": "application/json"], redacted: []) }
            for (index, key) in keys.enumerated() {
                Self.send(key, place: places[index], to: &interactions[index].request)
                // Echoed in the same interaction, and again in a later one.
                Self.echo(key, place: echoes[2 * index], in: &interactions[index])
                Self.echo(key, place: echoes[2 * index + 1], in: &interactions[interactions.count - 1])
            }
            do {
                var redactor = Redactor()
                let file = directory.file("property-\(UUID().uuidString).tape")
                let appender = try CassetteAppender(creating: file)
                for interaction in interactions { try appender.append(redactor.redact(interaction)) }
                try appender.close()
                for stage in ["appended", "compacted"] {
                    if stage == "compacted" { try Cassette.compact(at: file) }
                    let compressed = try Data(contentsOf: file)
                    let inflated = try compressed.withUnsafeBytes { try Gzip.decompress($0) }
                    let plain = inflated.data
                    let text = String(decoding: plain, as: UTF8.self)
                    for key in keys {
                        #expect(!compressed.contains(bytes: key.utf8), "\(stage) file holds \(key)")
                        for form in SecretForms.needles(for: Array(key.utf8)) {
                            #expect(!plain.contains(bytes: form), "\(stage) decompressed file holds \(key) as \(String(decoding: form, as: UTF8.self))")
                        }
                        #expect(!SecretFormsTests.decodes(text, to: key), "\(stage) file holds \(key) in base64")
                    }
                    let loaded = try Cassette(contentsOf: file)
                    #expect(loaded.interactions.count == keys.count)
                    for (index, interaction) in loaded.interactions.enumerated() {
                        #expect(!interaction.request.redacted.isEmpty || index >= keys.count, "interaction \(index) lost its credential kind")
                    }
                }
            } catch {
                Issue.record(error)
            }
        }
    }
}
