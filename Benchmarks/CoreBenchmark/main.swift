// The core benchmark: load, append and match at 10 and at 10,000 interactions.
//
//     swift run -c release tapedeck-core-benchmark [interactions]
//
// Every figure is printed next to a baseline measured in the same run (zlib inflate alone for
// load; the 10-interaction cassette for append and match), since these machines are shared
// and noisy. Targets: load >= 0.5 of inflate-alone and at most 1.5x the raw size in memory;
// a match under 5 us at both sizes; append and match within 2x between sizes.

import Foundation
import TapeDeck

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 10_000
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// The best of `runs` timings of `body`: the least disturbed by other work on the machine.
func best(of runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<runs { fastest = min(fastest, seconds(try clock.measure(body))) }
    return fastest
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// A realistic list-models answer of about 5 KB: an OpenAI-format listing of 30 models.
func listModelsBody(_ page: Int) -> String {
    let owners = ["openai", "deepseek", "anthropic", "google", "meta", "mistral"]
    let models = (0..<30).map { model in
        #"{"id":"model-\#(page)-\#(model)-\#(String(page &* 7919 &+ model, radix: 36))","object":"model","created":\#(1_700_000_000 + page * 37 + model),"owned_by":"\#(owners[(page + model) % owners.count])","permission":[],"root":"model-\#(model)","parent":null}"#
    }
    return #"{"object":"list","data":[\#(models.joined(separator: ","))]}"#
}

func interaction(_ page: Int) -> Interaction {
    Interaction(
        request: RecordedRequest(method: "GET", url: "https://gateway.example/v1/models?page=\(page)",
                                 headers: ["Accept": "application/json", "User-Agent": "OpenAI/Python 1.54.0"],
                                 redacted: [.header("authorization")]),
        response: RecordedResponse(status: 200, headers: [("Content-Type", "application/json"), ("x-request-id", "req-\(page)")].reduce(into: HTTPHeaders()) { $0.append(name: $1.0, value: $1.1) },
                                   body: Data(listModelsBody(page).utf8)))
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-benchmark-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

#if os(Linux)
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = Int(statm.split(separator: " ")[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--resident-growth-loading" {
    let before = residentBytes()
    let loaded = try Cassette(contentsOf: URL(fileURLWithPath: CommandLine.arguments[2]))
    print(residentBytes() - before)
    withExtendedLifetime(loaded) {}
    exit(0)
}
#endif

#if DEBUG
print("warning: this is a debug build; run with `swift run -c release tapedeck-core-benchmark`")
#endif
print("TapeDeck core benchmark: \(count) interactions")
let big = Cassette(name: "benchmark", interactions: (0..<count).map(interaction))
let small = Cassette(name: "benchmark", interactions: Array(big.interactions.prefix(10)))
let bigFile = folder.appendingPathComponent("big.tape")
try big.write(to: bigFile)
let raw = big.encodedLines().count
let compressed = try Data(contentsOf: bigFile)

// Load vs inflate alone, on the same bytes.
let inflateTime = try best { _ = try compressed.withUnsafeBytes { try Gzip.decompress($0) } }
let loadTime = try best { _ = try Cassette(contentsOf: bigFile) }
let megabytes = Double(raw) / 1_000_000
print(String(format: "raw JSON Lines:      %.1f MB, compressed %.1f MB, ratio %.3f (%.1fx smaller)",
             megabytes, Double(compressed.count) / 1_000_000, Double(compressed.count) / Double(raw), Double(raw) / Double(compressed.count)))
print(String(format: "inflate alone:       %.0f MB/s of raw JSON", megabytes / inflateTime))
print(String(format: "load (inflate+parse): %.0f MB/s of raw JSON = %.2f of inflate-alone (target >= 0.5)",
             megabytes / loadTime, inflateTime / loadTime))

// What a loaded cassette costs in memory, next to its raw size: a fresh copy of this program
// loads the file and reports how much its resident memory grew (Linux).
#if os(Linux)
let child = Process()
child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
child.arguments = ["--resident-growth-loading", bigFile.path]
let pipe = Pipe()
child.standardOutput = pipe
try child.run()
let reported = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
child.waitUntilExit()
if let growth = Double(reported.trimmingCharacters(in: .whitespacesAndNewlines)) {
    print(String(format: "loaded in memory:    %.1f MB for %.1f MB raw = %.2fx (target <= 1.5)", growth / 1_000_000, megabytes, growth / Double(raw)))
}
#endif

// Append: the cost at 10 interactions and at `count`, each the median of 31 appends.
// The core's JSON parser next to Foundation's two, on the same cassette lines, one thread: the
// tree each builds (JSONDecoder into a generic JSON enum, since it needs a type).
enum DecodedJSON: Decodable {
    case null, bool(Bool), number(Double), string(String), array([DecodedJSON]), object([String: DecodedJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([DecodedJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: DecodedJSON].self)) }
    }
}

let lines: [Data] = {
    let bytes = big.encodedLines()
    return bytes.split(separator: UInt8(ascii: "\n")).map { Data($0) }
}()
let coreParse = try best(of: 3) { for line in lines { _ = try line.withUnsafeBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self)) } } }
let serializationParse = try best(of: 3) { for line in lines { _ = try JSONSerialization.jsonObject(with: line) } }
let decoder = JSONDecoder()
let decoderParse = try best(of: 3) { for line in lines { _ = try decoder.decode(DecodedJSON.self, from: line) } }
print(String(format: "parse the lines:     core %.0f MB/s, JSONSerialization %.0f MB/s (core %.2fx), JSONDecoder %.0f MB/s (core %.2fx)",
             megabytes / coreParse, megabytes / serializationParse, serializationParse / coreParse, megabytes / decoderParse, decoderParse / coreParse))

// The core's line writer next to JSONSerialization writing the same lines (from the trees it
// parsed above), one thread: what encoding costs a recorder per interaction.
let trees = try lines.map { try JSONSerialization.jsonObject(with: $0) }
let coreWrite = best(of: 3) { for interaction in big.interactions { _ = interaction.encodedLine() } }
let serializationWrite = try best(of: 3) { for tree in trees { _ = try JSONSerialization.data(withJSONObject: tree) } }
print(String(format: "write the lines:     core %.0f MB/s, JSONSerialization %.0f MB/s (core %.2fx)",
             megabytes / coreWrite, megabytes / serializationWrite, serializationWrite / coreWrite))

func appendCost(startingWith cassette: Cassette, name: String) throws -> Double {
    let file = folder.appendingPathComponent(name)
    try cassette.write(to: file)
    let appender = try CassetteAppender(appendingTo: file)
    var costs: [Double] = []
    for page in 0..<31 {
        let next = interaction(count + page)
        costs.append(seconds(try clock.measure { try appender.append(next) }))
    }
    try appender.close()
    return median(costs)
}
let appendSmall = try appendCost(startingWith: small, name: "small-append.tape")
let appendBig = try appendCost(startingWith: big, name: "big-append.tape")
print(String(format: "append #%d:          %.1f us", small.interactions.count + 1, appendSmall * 1e6))
print(String(format: "append #%d:       %.1f us = %.2fx the small one (target <= 2)", count + 1, appendBig * 1e6, appendBig / appendSmall))

// Match: the same kind of request against 10 and against `count` interactions.
func matchCost(_ cassette: Cassette) throws -> Double {
    let playback = Playback(cassette: cassette)
    let pages = cassette.interactions.count
    let lookups = 20_000
    let requests = (0..<lookups).map { index in
        RecordedRequest(method: "GET", url: "https://gateway.example/v1/models?page=\((index &* 7_919) % pages)",
                        headers: ["Accept": "application/json", "Authorization": "Bearer sk-benchmark-key-0123456789"])
    }
    return try best(of: 3) { for request in requests { _ = try playback.play(request) } } / Double(lookups)
}
let matchSmall = try matchCost(small)
let matchBig = try matchCost(big)
print(String(format: "match in %d:          %.2f us (target < 5)", small.interactions.count, matchSmall * 1e6))
print(String(format: "match in %d:       %.2f us (target < 5) = %.2fx the small one (target <= 2)", count, matchBig * 1e6, matchBig / matchSmall))

// Matching chat requests (a JSON body of about 1 KB) with and without five ignored body fields,
// measured in the same run, alternated: what ignoringBodyFields(_:) costs.
func chatBody(_ index: Int, run: Int) -> Data {
    let prompt = String(repeating: "Summarise the quarterly report, section \(index). ", count: 16)
    return Data(#"{"model":"deepseek-chat","user":"run-\#(run)","metadata":{"trace_id":"t-\#(run)","ts":\#(run)},"temperature":0.2,"messages":[{"role":"system","content":"Be brief.","id":"s\#(run)"},{"role":"user","content":"\#(prompt)","id":"u\#(run)"}],"stream":false}"#.utf8)
}
let chats = Cassette(name: "chats", interactions: (0..<100).map { index in
    Interaction(request: RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions", headers: ["Content-Type": "application/json"],
                                         body: chatBody(index, run: 1), redacted: [.header("authorization")]),
                response: RecordedResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"id":"c"}"#.utf8)))
})
func chatMatchCost(_ matching: MatchConfiguration, run: Int) -> Double {
    let playback = Playback(cassette: chats, configuration: matching)
    let requests = (0..<5_000).map { index in
        RecordedRequest(method: "POST", url: "https://api.deepseek.com/chat/completions",
                        headers: ["Content-Type": "application/json", "Authorization": "Bearer sk-benchmark-key-0123456789"],
                        body: chatBody((index &* 7) % 100, run: run))
    }
    return best(of: 3) { for request in requests { _ = try? playback.play(request) } } / Double(requests.count)
}
let ignoring = MatchConfiguration.standard.ignoringBodyFields(["user", "metadata.trace_id", "metadata.ts", "messages[*].id", "temperature"])
var plainChat: [Double] = [], ignoringChat: [Double] = []
for _ in 0..<3 {
    plainChat.append(chatMatchCost(.standard, run: 1))          // the same run id: every request matches
    ignoringChat.append(chatMatchCost(ignoring, run: 2))        // another run id, ignored: every request matches
}
print(String(format: "match a chat body:   %.2f us; ignoring 5 fields %.2f us = %.2fx", median(plainChat) * 1e6, median(ignoringChat) * 1e6,
             median(ignoringChat) / median(plainChat)))
