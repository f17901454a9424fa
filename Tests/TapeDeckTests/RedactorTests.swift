import Foundation
import Testing
import TapeDeck

@Suite struct RedactorTests {
    private func request(_ url: String = "https://api.example/v1/models", headers: HTTPHeaders, body: String? = nil) -> RecordedRequest {
        RecordedRequest(method: body == nil ? "GET" : "POST", url: url, headers: headers, body: body.map { Data($0.utf8) })
    }

    @Test(arguments: ["Authorization", "authorization", "PROXY-AUTHORIZATION", "X-Api-Key", "x-goog-api-key", "api-key", "Cookie"])
    func standardCredentialHeadersAreRemovedInAnyCaseAndTheirKindRecorded(_ name: String) {
        var redactor = Redactor()
        let redacted = redactor.redact(request(headers: [name: "Bearer sk-secret-value-1234", "Accept": "application/json"]))
        #expect(redacted.headers.map(\.name) == ["Accept"])
        #expect(redacted.redacted == [.header(name.lowercased())])
    }

    @Test func credentialQueryParametersAreRemovedAndTheRestOfTheURLKeptAsWritten() {
        var redactor = Redactor()
        let redacted = redactor.redact(request("https://generativelanguage.googleapis.com/v1beta/models?pageSize=2&key=AIzaSyExample123&b=%2Fx&access_token=tok-abcdefgh#frag", headers: [:]))
        #expect(redacted.url == "https://generativelanguage.googleapis.com/v1beta/models?pageSize=2&b=%2Fx#frag")
        #expect(redacted.redacted == [.query("key"), .query("access_token")])
        let onlyKey = redactor.redact(request("https://g.example/v1beta/models?key=AIzaSyExample123", headers: [:]))
        #expect(onlyKey.url == "https://g.example/v1beta/models")
    }

    @Test func callersCanAddHeaderAndQueryNames() {
        var redactor = Redactor(rules: .standard.adding(headers: ["X-Team-Token"], queryParameters: ["sig"]))
        let redacted = redactor.redact(request("https://a.example/p?sig=signature-123456&x=1", headers: ["x-team-token": "team-token-98765"]))
        #expect(redacted.url == "https://a.example/p?x=1")
        #expect(redacted.headers.isEmpty)
        #expect(redacted.redacted == [.header("x-team-token"), .query("sig")])
    }

    @Test(arguments: [1, 40])
    func aLongListOfHeaderNamesFindsCredentialsInAnyCaseLikeAShortOne(extra: Int) {
        // Short lists are compared name by name, long ones hashed: both ignore case.
        let names = (0..<extra).map { "X-Tenant-Key-\($0)" }
        var redactor = Redactor(rules: .standard.adding(headers: names))
        let redacted = redactor.redact(request(headers: ["x-TENANT-key-0": "tenant-secret-0001", "AUTHORIZATION": "Bearer sk-live-000111", "Accept": "*/*"]))
        #expect(redacted.headers.map(\.name) == ["Accept"])
        #expect(redacted.redacted == [.header("x-tenant-key-0"), .header("authorization")])
    }

    @Test func aKeyEchoedInAnErrorBodyIsReplacedEvenWithoutItsBearerPrefix() {
        var redactor = Redactor()
        let interaction = Interaction(
            request: request(headers: ["Authorization": "Bearer sk-live-0123456789abcdef"]),
            response: RecordedResponse(status: 401, headers: ["x-echo": "Bearer sk-live-0123456789abcdef"],
                                       body: Data(#"{"error":{"message":"Incorrect API key provided: sk-live-0123456789abcdef","code":"invalid_api_key"}}"#.utf8)))
        let redacted = redactor.redact(interaction)
        #expect(String(decoding: redacted.response.body, as: UTF8.self) == #"{"error":{"message":"Incorrect API key provided: REDACTED","code":"invalid_api_key"}}"#)
        #expect(redacted.response.headers["x-echo"] == "REDACTED")
        #expect(redacted.request.redacted == [.header("authorization")])
        #expect(redactor.secrets == ["Bearer sk-live-0123456789abcdef", "sk-live-0123456789abcdef"])
    }

    @Test func valuesSeenEarlierInTheSessionAreScrubbedFromLaterInteractions() {
        var redactor = Redactor()
        _ = redactor.redact(Fixtures.listModels(headers: ["x-goog-api-key": "AIzaSyLeakedEarlier0001"]))
        let later = redactor.redact(Interaction(
            request: request("https://x.example/echo/AIzaSyLeakedEarlier0001?q=AIzaSyLeakedEarlier0001", headers: ["X-Debug": "key=AIzaSyLeakedEarlier0001"], body: "AIzaSyLeakedEarlier0001"),
            response: RecordedResponse(status: 200)))
        #expect(later.request.url == "https://x.example/echo/REDACTED?q=REDACTED")
        #expect(later.request.headers["x-debug"] == "key=REDACTED")
        #expect(later.request.body == Data("REDACTED".utf8))
    }

    @Test func chunkBoundariesMoveWithTheReplacementAndStillCoverTheBody() {
        var redactor = Redactor()
        redactor.learn("sk-streamed-secret-42")
        let events = ["data: {\"k\":\"sk-stre", "amed-secret-42\"}\n\n", "data: [DONE]\n\n"]
        let response = RecordedResponse(status: 200, body: Data(events.joined().utf8),
                                        chunks: events.map { ResponseChunk(size: $0.utf8.count, milliseconds: 1) })
        let redacted = redactor.redact(Interaction(request: request(headers: [:]), response: response)).response
        #expect(String(decoding: redacted.body, as: UTF8.self) == "data: {\"k\":\"REDACTED\"}\n\ndata: [DONE]\n\n")
        #expect(redacted.chunks?.map(\.size).reduce(0, +) == redacted.body.count)
        #expect(redacted.bodyPieces.map { String(decoding: $0.data, as: UTF8.self) } == ["data: {\"k\":\"REDACTED", "\"}\n\n", "data: [DONE]\n\n"])
    }

    @Test func setCookieInAResponseIsRemovedAndItsValueScrubbed() {
        var redactor = Redactor()
        let redacted = redactor.redact(Interaction(
            request: request(headers: [:]),
            response: RecordedResponse(status: 200, headers: ["Set-Cookie": "session=cookie-value-777; Path=/; HttpOnly"], body: Data("token cookie-value-777".utf8))))
        #expect(redacted.response.headers.isEmpty)
        #expect(redacted.response.redacted == [.header("set-cookie")])
        #expect(redacted.response.body == Data("token REDACTED".utf8))
    }

    @Test func shortValuesAreRemovedWithTheirHeaderButNotHuntedElsewhere() {
        var redactor = Redactor()
        let redacted = redactor.redact(Interaction(request: request(headers: ["x-api-key": "abc"]), response: RecordedResponse(status: 200, body: Data("abcdef".utf8))))
        #expect(redacted.request.headers.isEmpty)
        #expect(redacted.response.body == Data("abcdef".utf8))
    }
}

extension RedactorTests {
    @Test func aScrubbedBodyKeepsATruthfulContentLength() {
        var redactor = Redactor()
        let body = #"{"error":"bad key sk-live-0123456789abcdef"}"#
        let redacted = redactor.redact(Interaction(
            request: RecordedRequest(method: "GET", url: "https://a.example/", headers: ["Authorization": "Bearer sk-live-0123456789abcdef"]),
            response: RecordedResponse(status: 401, headers: ["Content-Type": "application/json", "Content-Length": String(body.utf8.count)], body: Data(body.utf8))))
        #expect(redacted.response.headers["content-length"] == String(redacted.response.body.count))
        #expect(redacted.response.headers.map(\.name) == ["Content-Type", "Content-Length"])
    }
}

/// Credentials beyond headers and query parameters: well-known gateway headers, Basic
/// credentials, body fields, custom rules.
@Suite struct RedactionRulesTests {
    @Test(arguments: ["Ocp-Apim-Subscription-Key", "cf-aig-authorization", "Helicone-Auth", "x-portkey-api-key"])
    func wellKnownGatewayKeyHeadersAreCredentials(_ name: String) {
        var redactor = Redactor()
        let redacted = redactor.redact(RecordedRequest(method: "GET", url: "https://gw.example/v1/models", headers: [name: "gw-key-0123456789abcdef"]))
        #expect(redacted.headers.isEmpty)
        #expect(redacted.redacted == [.header(name)])
    }

    @Test func aBasicCredentialTeachesTheDecodedPairAndThePassword() {
        var redactor = Redactor()
        let token = Data("team-user:sk-basic-password-42".utf8).base64EncodedString()
        let interaction = Interaction(
            request: RecordedRequest(method: "GET", url: "https://x.example/", headers: ["Authorization": "Basic \(token)"]),
            response: RecordedResponse(status: 401, body: Data(#"{"user":"team-user:sk-basic-password-42","password":"sk-basic-password-42"}"#.utf8)))
        let body = String(decoding: redactor.redact(interaction).response.body, as: UTF8.self)
        #expect(!body.contains("sk-basic-password-42"), "\(body)")
        #expect(body == #"{"user":"REDACTED","password":"REDACTED"}"#)
    }

    @Test func jsonBodyFieldsAtAnyDepthAreReplacedAndTheirKindsRecorded() {
        var redactor = Redactor()
        let body = #"{"model":"deepseek-chat","api_key":"sk-body-0123456789","auth":{"password":"hunter2","n":[{"Client_Secret":12345678}]}}"#
        let redacted = redactor.redact(RecordedRequest(method: "POST", url: "https://x.example/login",
                                                       headers: ["Content-Type": "application/json", "Content-Length": "\(body.utf8.count)"], body: Data(body.utf8)))
        let stored = String(decoding: redacted.body ?? Data(), as: UTF8.self)
        #expect(stored == #"{"model":"deepseek-chat","api_key":"REDACTED","auth":{"password":"REDACTED","n":[{"Client_Secret":"REDACTED"}]}}"#)
        #expect(redacted.redacted == [.body("api_key"), .body("password"), .body("client_secret")])
        #expect(redacted.headers["Content-Length"] == "\(stored.utf8.count)")
        #expect(redactor.secrets.contains("sk-body-0123456789"), "a long value is hunted everywhere from now on")
    }

    @Test func formBodyFieldsAreReplacedKeepingTheRestByteForByte() {
        var redactor = Redactor(rules: .standard.adding(bodyFields: ["refresh_token"]))
        let body = "grant_type=refresh_token&refresh_token=rt%2Fsecret-0123456789&client_secret=s3cr3t-value-123&scope=a+b"
        let redacted = redactor.redact(RecordedRequest(method: "POST", url: "https://auth.example/token",
                                                       headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(body.utf8)))
        #expect(String(decoding: redacted.body ?? Data(), as: UTF8.self) == "grant_type=refresh_token&refresh_token=REDACTED&client_secret=REDACTED&scope=a+b")
        #expect(redacted.redacted == [.body("refresh_token"), .body("client_secret")])
        #expect(redactor.secrets.contains("rt/secret-0123456789"), "the decoded value is learned too")
    }

    @Test func aCustomRuleSeesTheWholeInteractionAndWhatItReturnsIsScrubbedEverywhere() {
        let rule = CustomRedaction("session header") { interaction in
            let value = interaction.request.headers["x-session"]
            interaction.request.headers.removeAll(named: "x-session")
            return value.map { [$0] } ?? []
        }
        var redactor = Redactor(rules: .standard.adding(custom: rule))
        let redacted = redactor.redact(Interaction(
            request: RecordedRequest(method: "GET", url: "https://x.example/", headers: ["x-session": "sess-0123456789abcdef"]),
            response: RecordedResponse(status: 200, body: Data("your session is sess-0123456789abcdef".utf8))))
        #expect(redacted.request.headers.isEmpty)
        #expect(String(decoding: redacted.response.body, as: UTF8.self) == "your session is REDACTED")
        #expect(RedactionRules.standard.adding(custom: rule) == RedactionRules.standard.adding(custom: CustomRedaction("session header") { _ in [] }),
                "rules compare by name")
    }
}

extension RedactorTests {
    @Test func aCredentialGivenByNameIsLearnedInEveryFormTheRedactorKnows() {
        var redactor = Redactor()
        let basic = "Basic " + Data("robot-user:s3cret-password-42".utf8).base64EncodedString()
        redactor.learnCredential(named: "Authorization", value: basic)
        redactor.learnCredential(named: "x-api-key", value: "Bearer sk-drift-0123456789abcdef")
        let text = "\(basic) robot-user:s3cret-password-42 then s3cret-password-42 and sk-drift-0123456789abcdef"
        let scrubbed = redactor.scrubbed(text)
        for secret in ["robot-user:s3cret-password-42", "s3cret-password-42", "sk-drift-0123456789abcdef", String(basic.dropFirst(6))] {
            #expect(!scrubbed.contains(secret), "\(secret) in \(scrubbed)")
        }
    }
}
