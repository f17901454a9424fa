import Foundation

/// A new TCP socket (`socket(AF_INET, SOCK_STREAM, 0)`), for the tests' own loopback servers
/// and raw clients.
///
/// The one place the C spelling differs: Glibc imports `SOCK_STREAM` as an enum-like struct
/// (`__socket_type`, so `Int32(SOCK_STREAM.rawValue)`), Darwin as a plain `Int32` macro value
/// (swift-corelibs-foundation's own `Process.swift` branches the same way). Everything else the
/// tests call (`sockaddr_in`, `bind`, `inet_addr`) is spelled alike on both.
public func tcpSocket() -> Int32 {
    #if os(Linux)
    socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    socket(AF_INET, SOCK_STREAM, 0)
    #endif
}
