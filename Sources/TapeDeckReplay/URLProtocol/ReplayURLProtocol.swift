import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TapeDeck

/// The URLProtocol a player installs in a session configuration: every request of that session
/// is answered by the player behind `Slot`.
///
/// Everything happens synchronously inside `startLoading`: FoundationNetworking on Linux races
/// (and crashes) when the client is called from another queue or task.
final class ReplayURLProtocol<Slot: ReplaySlot>: URLProtocol {
    /// In a player's own session, every request: a request whose player is gone must fail with
    /// a clear error rather than slip through to the network. Registered for the whole process,
    /// only requests to an origin the cassette knows, so other sessions are left alone.
    override class func canInit(with request: URLRequest) -> Bool {
        guard SlotRegistry.shared.isProcessWide(Slot.number), let entry = SlotRegistry.shared.entry(Slot.number) else { return true }
        return entry.player.value?.knows(request.url) ?? false
    }

    override class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    override func startLoading() {
        guard let entry = SlotRegistry.shared.entry(Slot.number), let player = entry.player.value else {
            client?.urlProtocol(self, didFailWithError: ReplayError(.cassette, reason: "the cassette player behind this URLSession was released before \(request.url?.absoluteString ?? "the request") was made; keep the player alive while its sessions run"))
            return
        }
        let upload = task as? URLSessionUploadTask
        switch player.answer(request, isUpload: upload != nil, uploadBody: upload.flatMap(UploadBody.read)) {
        case .failure(let error):
            client?.urlProtocol(self, didFailWithError: error)
        case .success(let answer):
            client?.urlProtocol(self, didReceive: answer.response, cacheStoragePolicy: .notAllowed)
            if entry.streaming {
                var pacer = ChunkPacer(scale: player.timing.scale)
                for piece in answer.pieces {
                    let pause = pacer.pause(before: piece.milliseconds)
                    if pause > .zero { Thread.sleep(forTimeInterval: pause.timeInterval) }
                    if !piece.data.isEmpty { client?.urlProtocol(self, didLoad: piece.data) }
                }
            } else if !answer.body.isEmpty {
                // Completion handlers and async data(for:) keep only the last didLoad on Linux.
                client?.urlProtocol(self, didLoad: answer.body)
            }
            client?.urlProtocolDidFinishLoading(self)
        }
    }

    override func stopLoading() {}
}
