import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads the body of an upload task (`uploadTask(with:from:)`, `upload(for:from:)`) when it is
/// not on the request the URLProtocol sees.
///
/// One path on every platform (``FoundationFlavor``): the request's `httpBody` or
/// `httpBodyStream` is read first (`RecordedRequest.init(_:cassette:)`); then this. On Linux
/// the task keeps the body in a stored property `knownBody` (an optional enum with a `data`,
/// `file` or `stream` case), which reflection reaches. Apple's task classes are Objective-C
/// objects with no reflected children, so there this returns `nil`, as it would if a toolchain
/// changed that shape, and the request fails with ``unreadable(_:_:)``'s message.
enum UploadBody {
    /// The one message for an upload whose body could not be read, on every platform, naming
    /// the workaround.
    static func unreadable(_ method: String, _ url: String) -> String {
        "the body of the upload task \(method) \(url) did not reach the replay protocol (URLSession does not always pass an upload task's body to a URLProtocol), so it cannot be matched. Send the body as request.httpBody with data(for:) or dataTask(with:) instead of upload(for:from:)"
    }

    static func read(from task: URLSessionTask) -> Data? {
        var mirror: Mirror? = Mirror(reflecting: task)
        while let current = mirror {
            if let known = current.children.first(where: { $0.label == "knownBody" })?.value {
                return body(in: known)
            }
            mirror = current.superclassMirror
        }
        return nil
    }

    private static func body(in value: Any) -> Data? {
        // Optional<_Body> -> _Body -> its case's payload.
        guard let some = Mirror(reflecting: value).children.first?.value,
              let payload = Mirror(reflecting: some).children.first else { return nil }
        switch payload.value {
        case let data as DispatchData: return Data(data)
        case let data as Data: return data
        case let file as URL: return try? Data(contentsOf: file)
        default: return nil
        }
    }
}
