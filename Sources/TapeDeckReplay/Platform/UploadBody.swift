import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads the body of an upload task, which FoundationNetworking never puts on the request a
/// URLProtocol sees (`uploadTask(with:from:)`, `upload(for:from:)`).
///
/// The task keeps it in a stored property `knownBody` (an optional enum with a `data`, `file`
/// or `stream` case). Reflection is the only public way to reach it; if a toolchain changes
/// that shape this returns `nil` and the caller reports the body as unreadable.
enum UploadBody {
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
