// The libFuzzer entry point, compiled only by Scripts/fuzz.sh (with -sanitize=fuzzer), never by
// SwiftPM: libFuzzer brings its own main. FUZZ_TARGET picks the target: cassette (default), lines, har or fault.
import Foundation
import TapeDeckFuzzing

private let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "cassette"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    switch target {
    case "har": FuzzTargets.har(data)
    case "lines": FuzzTargets.cassetteLines(data)
    case "fault": FuzzTargets.faultRule(data)
    default: FuzzTargets.cassette(data)
    }
    return 0
}
