import Foundation
import TapeDeckTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOSSL
import Testing
import TapeDeck
import TapeDeckProxy

/// An HTTPS upstream on 127.0.0.1 with a certificate made by the test (openssl), trusted
/// through `--cacert` or not at all.
@Suite struct HTTPSUpstreamTests {
    private static func certificate(in directory: TemporaryDirectory) throws -> (cert: String, context: NIOSSLContext) {
        let cert = directory.file("cert.pem").path, key = directory.file("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl could not make a certificate")
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return (cert, try NIOSSLContext(configuration: configuration))
    }

    private func get(_ url: String) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue("Bearer sk-https-test-12345678", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func anHTTPSUpstreamTrustedThroughCacertIsRecordedWithItsHTTPSURL() async throws {
        let directory = try TemporaryDirectory()
        let (cert, context) = try Self.certificate(in: directory)
        let rig = try await ProxyRig.start(recordAs: nil, in: directory, upstreamTLS: context, upstreamHost: "localhost", cacert: cert)
        let (status, body) = try await get("\(rig.proxy.baseURL)/models")
        let cassette = try await rig.finish()
        #expect(status == 200)
        #expect(body.contains("deepseek-chat"))
        #expect(cassette.interactions.map(\.request.url) == ["https://localhost:\(rig.upstream.port)/deepseek/models"])
    }

    @Test func anUntrustedCertificateIsA502NamingTheProblem() async throws {
        let directory = try TemporaryDirectory()
        let (_, context) = try Self.certificate(in: directory)
        let rig = try await ProxyRig.start(recordAs: nil, in: directory, upstreamTLS: context, upstreamHost: "localhost", cacert: nil)
        let (status, body) = try await get("\(rig.proxy.baseURL)/models")
        let cassette = try await rig.finish()
        #expect(status == 502)
        #expect(body.contains("TLS with upstream https://localhost:\(rig.upstream.port)/deepseek failed"))
        #expect(body.lowercased().contains("certificate"))
        #expect(cassette.interactions.isEmpty)
    }
}
