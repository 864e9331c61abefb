import Catalog
import Evidence
import Foundation
import Testing
import TestSupport

@Suite("Evidence export over HTTP")
struct ExportEndpointTests {
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens, EvidenceSigningKey) async throws -> Void) async throws {
        let sample = SampleRecordings.url("street_1080p_h264.mp4").path
        let (folder, catalog, tokens) = try await Fixture.catalog(recordingPath: { _ in sample }, durationSeconds: 60)
        let keyPath = folder.path("ward.key")
        let key = try EvidenceSigningKey.generate(at: keyPath)
        try await TestServer.run(catalog: catalog, folder: folder, signingKey: keyPath) { server in try await body(server, tokens, key) }
    }

    func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    @Test("an investigator exports events; the bundle downloads and verifies offline against the ward's key")
    func exportAndVerify() async throws {
        try await withServer { server, tokens, key in
            let created = try await server.send("POST", "/api/v1/exports", token: tokens.investigator,
                                                headers: ["Content-Type": "application/json"], body: try json(["events": [1, 2], "case_id": "CA-2024/117", "reason": "request 88"]))
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            let url = try #require(created.object["download_url"] as? String)
            #expect(created.object["held_events"] as? [Int] == [1, 2])
            #expect(created.object["signer_fingerprint"] as? String == key.publicKey.fingerprint)
            let bundle = try await server.get(url, token: tokens.investigator)
            #expect(bundle.status == 200 && bundle.headers["content-type"] == "application/zip")
            let file = server.folder.path("downloaded.zip")
            try bundle.body.write(to: URL(fileURLWithPath: file))
            let report = try BundleVerifier.verify(path: file, trustedFingerprint: key.publicKey.fingerprint)
            #expect(report.intact, "\(report.problem ?? "")")
            #expect(report.caseID == "CA-2024/117")
            #expect(try await server.catalog.isOnLegalHold(eventID: 1))
            let audit = try await server.catalog.auditEntries(actor: "chi", action: nil, from: nil, to: nil).map(\.action)
            #expect(audit == ["export", "export.download"])

            let validator = try OpenAPIValidator()
            let problems = try validator.problems(path: "/api/v1/exports", method: "post", status: created.status,
                                                  contentType: created.headers["content-type"] ?? "", body: created.body)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test("viewers get 403, bad bodies 400 naming the field, unknown and other wards' events 400, and a ward scope is enforced")
    func refusals() async throws {
        try await withServer { server, tokens, _ in
            let good: [String: Any] = ["events": [1], "case_id": "C1", "reason": "r"]
            #expect(try await server.send("POST", "/api/v1/exports", token: tokens.viewer, headers: ["Content-Type": "application/json"], body: try json(good)).status == 403)
            #expect(try await server.send("POST", "/api/v1/exports", token: nil, headers: ["Content-Type": "application/json"], body: try json(good)).status == 401)
            let cases: [([String: Any], String)] = [
                (["events": [1], "reason": "r"], "case_id"),
                (["events": [1], "case_id": "C1"], "reason"),
                (["events": "one", "case_id": "C1", "reason": "r"], "events"),
                (["events": [424242], "case_id": "C1", "reason": "r"], "events"),
                (["camera": "CAM01", "from": "2024-07-10 15:30", "case_id": "C1", "reason": "r"], "to"),
                (["camera": "CAM01", "from": "soon", "to": "later", "case_id": "C1", "reason": "r"], "from"),
                (["events": [1], "case_id": "C1", "reason": "r", "pre_roll_s": -1], "pre_roll_s"),
            ]
            for (body, field) in cases {
                let reply = try await server.send("POST", "/api/v1/exports", token: tokens.investigator, headers: ["Content-Type": "application/json"], body: try json(body))
                #expect(reply.status == 400 && reply.errorField == field, "\(body): \(String(decoding: reply.body, as: UTF8.self))")
            }
            let garbage = try await server.send("POST", "/api/v1/exports", token: tokens.investigator, headers: ["Content-Type": "application/json"], body: Data("not json".utf8))
            #expect(garbage.status == 400 && garbage.errorField == "body")
            #expect(try await server.get("/api/v1/exports/nothing.zip", token: tokens.investigator).status == 404)

            // A ward-scoped investigator downloads only bundles of their ward's footage.
            let camera3 = try await server.get("/api/v1/events?camera=CAM03&limit=1", token: tokens.investigator)
            let foreignEvent = try #require(camera3.events.first?["id"] as? Int)
            func export(_ event: Int, _ token: String) async throws -> TestServer.Reply {
                try await server.send("POST", "/api/v1/exports", token: token, headers: ["Content-Type": "application/json"],
                                      body: try json(["events": [event], "case_id": "C-\(event)", "reason": "r"]))
            }
            #expect(try await export(foreignEvent, tokens.benThanhInvestigator).status == 400)
            let foreign = try #require(try await export(foreignEvent, tokens.investigator).object["download_url"] as? String)
            let own = try #require(try await export(1, tokens.investigator).object["download_url"] as? String)
            #expect(try await server.get(foreign, token: tokens.benThanhInvestigator).status == 404)
            #expect(try await server.get(own, token: tokens.benThanhInvestigator).status == 200)
            #expect(try await server.get(own, token: tokens.viewer).status == 403)
            #expect(try await server.catalog.auditEntries(actor: "giang", action: "export.download.denied", from: nil, to: nil).count == 1)
            #expect(try await server.get("/api/v1/exports/..%2Fcatalog.sqlite", token: tokens.investigator).status == 400)
        }
    }
}
