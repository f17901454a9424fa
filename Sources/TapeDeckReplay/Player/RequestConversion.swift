import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeck

extension RecordedRequest {
    /// The request as URLSession hands it to a protocol, body included (from `httpBody`, or read
    /// whole from `httpBodyStream`).
    init(_ request: URLRequest, cassette: String) throws(ReplayError) {
        guard let url = request.url else {
            throw ReplayError(.unreadableBody, cassette: cassette, reason: "a request without a URL cannot be matched")
        }
        // URLRequest keeps headers in a dictionary: sort them so the order is at least stable.
        let headers = (request.allHTTPHeaderFields ?? [:]).map { (lower: $0.key.asciiLowercased, name: $0.key, value: $0.value) }
            .sorted { $0.lower < $1.lower }
        var body = request.httpBody
        if body == nil, let stream = request.httpBodyStream {
            body = try Self.readAll(stream, request: "\(request.httpMethod ?? "GET") \(url.absoluteString)", cassette: cassette)
        }
        self.init(method: request.httpMethod ?? "GET", url: url.absoluteString, headers: HTTPHeaders(headers.map { ($0.name, $0.value) }), body: body)
    }

    private static func readAll(_ stream: InputStream, request: String, cassette: String) throws(ReplayError) -> Data {
        stream.open()
        defer { stream.close() }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = stream.read(&buffer, maxLength: buffer.count)
            if count < 0 {
                throw ReplayError(.unreadableBody, cassette: cassette,
                    reason: "the body stream of \(request) could not be read: \(stream.streamError.map { "\($0)" } ?? "unknown stream error")")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}

extension RecordedResponse {
    /// An HTTPURLResponse for `url` with this status and headers. Duplicate header names are
    /// joined with ", ", as URLResponse keeps a dictionary.
    func urlResponse(for url: URL) -> HTTPURLResponse {
        var fields: [String: String] = [:]
        var names: [String: String] = [:]  // lower-case -> first spelling
        for header in headers {
            let lower = header.name.asciiLowercased
            let name = names[lower, default: header.name]
            names[lower] = name
            fields[name] = fields[name].map { $0 + ", " + header.value } ?? header.value
        }
        return HTTPURLResponse(url: url, statusCode: status, httpVersion: "HTTP/1.1", headerFields: fields)!
    }
}
