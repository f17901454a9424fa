import Foundation

// Scrubbing: every form of every learned secret replaced by the placeholder, in the URL, the
// headers and the bodies, with `Content-Length` and chunk boundaries kept true.
extension Redactor {
    mutating func prepareNeedles() {
        guard needlesAreStale else { return }
        needles = forms?.needles(for: secrets) ?? SecretForms.needles(for: secrets)
        needlesAreStale = false
    }

    func scrub(_ request: inout RecordedRequest) {
        guard !needles.isEmpty else { return }
        request.url = scrub(request.url)
        request.headers.mapValues(scrub)
        if let body = request.body {
            let replaced = replace(in: body)
            if !replaced.edits.isEmpty {
                request.body = Data(replaced.bytes)
                Self.correctLength(of: &request.headers, to: replaced.bytes.count)
            }
        }
    }

    /// A body made shorter by scrubbing keeps a `Content-Length` that tells the truth.
    static func correctLength(of headers: inout HTTPHeaders, to count: Int) {
        guard headers["Content-Length"] != nil else { return }
        headers.removeAll(named: "Content-Length")
        headers.append(name: "Content-Length", value: String(count))
    }

    func scrub(_ response: inout RecordedResponse) {
        guard !needles.isEmpty else { return }
        response.headers.mapValues(scrub)
        let replaced = replace(in: response.body)
        guard !replaced.edits.isEmpty else { return }
        let oldCount = response.body.count
        response.body = Data(replaced.bytes)
        Self.correctLength(of: &response.headers, to: replaced.bytes.count)
        // Chunks that never covered the body (an in-memory interaction) are left for the
        // appender to refuse; whole ones are moved.
        if let chunks = response.chunks, ResponseChunk.covers(chunks, bodySize: oldCount) {
            // Move each chunk boundary to where its bytes are now.
            var oldEnd = 0
            var newStart = 0
            response.chunks = chunks.map { chunk in
                oldEnd += chunk.size
                let newEnd = replaced.newOffset(for: oldEnd)
                defer { newStart = newEnd }
                return ResponseChunk(size: newEnd - newStart, milliseconds: chunk.milliseconds)
            }
        }
    }

    func scrub(_ text: String) -> String {
        var text = text
        let replaced = text.withUTF8 { replace(in: UnsafeRawBufferPointer($0)) }
        return replaced.edits.isEmpty ? text : String(decoding: replaced.bytes, as: UTF8.self)
    }

    private func replace(in bytes: some ContiguousBytes) -> ByteReplacement {
        ByteReplacement.replacing(needles, with: Self.placeholderBytes, in: bytes)
    }
}
