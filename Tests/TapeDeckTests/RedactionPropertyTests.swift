import Foundation
import TapeDeckTestSupport
import PropertyBased
import Testing
@testable import TapeDeck

/// Random keys in random places: no byte sequence of any key may reach the file, compressed
/// or not, whether the key was sent as a credential or echoed back anywhere else.
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
        default: request.headers.append(name: "proxy-authorization", value: "Basic \(key)")
        }
    }

    /// Where a key is echoed back (or leaked) outside a credential header.
    private static func echo(_ key: String, place: Int, in interaction: inout Interaction) {
        switch place {
        case 0:
            let added = Data(#"{"error":{"message":"Incorrect API key provided: \#(key)"}}"#.utf8)
            interaction.response.body.append(added)
            interaction.response.chunks?.append(ResponseChunk(size: added.count, milliseconds: 9))
        case 1: interaction.request.body = (interaction.request.body ?? Data()) + Data(#"{"api_key":"\#(key)"}"#.utf8)
        case 2: interaction.response.headers.append(name: "x-echo", value: "Bearer \(key)")
        case 3: interaction.request.headers.append(name: "X-Debug", value: "sent \(key) upstream")
        case 4: interaction.request.url = interaction.request.url.replacingOccurrences(of: "/models", with: "/models/\(key)")
        case 5: interaction.request.url += (interaction.request.url.contains("?") ? "&" : "?") + "q=\(key)"
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
    private static let places = Gen.int(in: 0...7).array(of: 3)
    private static let echoes = Gen.int(in: 0...6).array(of: 6)

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
                    for key in keys {
                        #expect(!compressed.contains(bytes: key.utf8), "\(stage) file holds \(key)")
                        #expect(!plain.contains(bytes: key.utf8), "\(stage) decompressed file holds \(key)")
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
