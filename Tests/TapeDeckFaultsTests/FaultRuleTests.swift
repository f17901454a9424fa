import Foundation
import Testing
import TapeDeckFaults

/// The `--fault` spelling and which requests a rule hits.
@Suite struct FaultRuleTests {
    @Test func aSpecificationReadsBackAsWritten() throws {
        for text in ["GET /models status=429 header=Retry-After:1 times=1", "POST /chat/* delay=2000ms every=3", "/v1/* drop-after=40",
                     "DELETE /files/x status=503 header=Retry-After:2 header=X-Reason:maintenance"] {
            #expect(try FaultRule(parsing: text).description == text)
        }
        #expect(try FaultRule(parsing: "get /models delay=1.5s").action.delay == .milliseconds(1500))
        #expect(try FaultRule(parsing: "get /models delay=250ms").target.method == "GET")
    }

    @Test func theQueryIsLeftOutAndAStarMakesAPrefix() throws {
        let exact = try FaultRule(parsing: "GET /models status=500"), prefix = try FaultRule(parsing: "/v1/* status=500")
        #expect(exact.target.concerns(method: "get", path: "/models"))
        #expect(!exact.target.concerns(method: "POST", path: "/models"))
        #expect(!exact.target.concerns(method: "GET", path: "/models/x"))
        #expect(prefix.target.concerns(method: "POST", path: "/v1/chat/completions"))
        #expect(!prefix.target.concerns(method: "POST", path: "/v2/chat"))
        let plan = FaultPlan([exact])
        #expect(plan.fault(method: "GET", target: "/models?page=2") != nil)
    }

    @Test func timesAndEveryCountOnlyTheRequestsTheRuleConcerns() throws {
        let plan = FaultPlan([try FaultRule(parsing: "GET /a status=429 times=2"), try FaultRule(parsing: "/a status=503 every=2")])
        var hits: [Int?] = []
        for target in ["/a", "/b", "/a", "/a", "/a", "/b", "/a"] { hits.append(plan.fault(method: "GET", target: target)?.action.answer?.status) }
        // The five requests to /a count for both rules: the first hits its 1st and 2nd; the second
        // would hit its 2nd and 4th, but the 2nd already went to the first rule.
        #expect(hits == [429, nil, 429, nil, 503, nil, nil])
    }

    @Test(arguments: [
        ("GET /models status=429 status=500", "status= is given twice; give it once"),
        ("GET /models times=1 times=5 status=500", "times= is given twice"),
        ("GET /models delay=0x1p3s", "delay '0x1p3s' is not a duration"),
        ("GET /models delay=1e3ms", "delay '1e3ms' is not a duration"),
        ("GET /models delay=-1s", "delay '-1s' is not a duration"),
        ("GET /models?page=2 status=500", "has a query or fragment, but faults match the path alone"),
        ("GET /modèles status=500", "is not printable ASCII; write it as the request sends it, percent-encoded"),
        ("GET /models status=204 drop-after=3", "drop-after= cannot cut a 204 answer: it has no body"),
    ])
    func aRuleThatCannotMeanWhatWasTypedIsRefusedNamingThePart(_ text: String, _ message: String) {
        let error = #expect(throws: FaultError.self) { try FaultRule(parsing: text) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.contains("fault '\(text)'") == true)
    }

    @Test func headersMayRepeatAndADecimalDelayStillParses() throws {
        let rule = try FaultRule(parsing: "GET /models status=503 header=A:1 header=B:2 delay=0.25s")
        #expect(rule.action.answer?.headers.map(\.name) == ["A", "B"])
        #expect(rule.action.delay == .milliseconds(250))
    }

    @Test func aRuleIsATargetAnActionAndASchedule() throws {
        let rule = try FaultRule(parsing: "post /chat/* status=503 header=Retry-After:2 drop-after=10 every=3")
        #expect(rule.target == FaultRule.Target(method: "POST", path: "/chat/*"))
        #expect(rule.target.isPrefix && rule.target.path == "/chat/")
        #expect(rule.action.answer?.status == 503)
        #expect(rule.action.answer?.headers == ["Retry-After": "2"])
        #expect(rule.action.dropAfter == 10)
        #expect(rule.action.delay == nil)
        #expect(rule.schedule == .every(3))
        #expect([1, 2, 3, 6, 7].map(rule.schedule.hits) == [false, false, true, true, false])
        #expect(try FaultRule(parsing: "/a delay=1s times=2").schedule == .first(2))
        #expect(try FaultRule(parsing: "/a delay=1s").schedule == .always)
    }

    @Test func aRuleBuiltFromPartsIsCheckedAndNamedInItsErrorAsTheSpellingWouldBe() {
        let error = #expect(throws: FaultError.self) { try FaultRule(method: "GET", path: "/x", status: 500, times: 1, every: 2) }
        #expect(error?.description == "fault 'GET /x status=500 times=1 every=2': use times= or every=, not both")
    }
}
