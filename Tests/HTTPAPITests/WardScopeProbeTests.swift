import Catalog
import Evidence
import Foundation
import Testing
import TestSupport

/// Issue 15, defect 10: a ward-limited token cannot tell another ward's ids from unused ones. On
/// every route that takes an id, the answer for another ward's id is the answer for a missing id:
/// the same status and the same JSON body (the id itself aside), decided after the role check.
@Suite("Ward scope: another ward's ids answer as missing ones")
struct WardScopeProbeTests {
    /// The real 60 s sample behind every camera, a signing key for exports, two incidents (one per ward)
    /// and a bundle of another ward's event.
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens) async throws -> Void) async throws {
        let sample = SampleRecordings.url("street_1080p_h264.mp4").path
        let (folder, catalog, tokens) = try await Fixture.catalog(recordingPath: { _ in sample }, durationSeconds: 60)
        let keyPath = folder.path("ward.key")
        _ = try EvidenceSigningKey.generate(at: keyPath)
        try await TestServer.run(catalog: catalog, folder: folder, signingKey: keyPath) { server in try await body(server, tokens) }
    }

    /// A reply's body with `id` written as "ID", so that "no event 21" and "no event 987654" compare equal.
    func masked(_ reply: TestServer.Reply, _ id: String) -> String {
        String(decoding: reply.body, as: UTF8.self).replacingOccurrences(of: id, with: "ID")
    }

    @Test("events, stills, clips, incidents, links, cameras, bundles, exports, searches and console routes")
    func sameAnswer() async throws {
        try await withServer { server, tokens in
            let json = ["Content-Type": "application/json"]
            _ = try await server.post("/api/v1/incidents", token: tokens.investigator, json: IncidentEndpointTests.incidents)
            let ownIncident = try #require(try await server.catalog.incident(reference: "INC-1")).id
            let foreignIncident = try #require(try await server.catalog.incident(reference: "INC-2")).id
            let camera3 = try await server.get("/api/v1/events?camera=CAM03&limit=1", token: tokens.investigator)
            let foreignEvent = try #require(camera3.events.first?["id"] as? Int)
            let foreignRecording = try #require((camera3.events.first?["playback"] as? [String: Any])?["recording"] as? Int)
            let exported = try await server.send("POST", "/api/v1/exports", token: tokens.investigator, headers: json,
                                                 body: Data(#"{"events": [\#(foreignEvent)], "case_id": "C-9", "reason": "r"}"#.utf8))
            let foreignBundle = try #require(exported.object["name"] as? String)
            let missingBundle = "C-9-20240101T000000000Z.zip"
            let missing = "987654"

            // (method, path with ID, foreign id, missing id, body with ID, status both get)
            let routes: [(String, String, String, String, String?, Int)] = [
                ("GET", "/api/v1/events/ID", "\(foreignEvent)", missing, nil, 404),
                ("GET", "/api/v1/events/ID/still.jpg", "\(foreignEvent)", missing, nil, 404),
                ("GET", "/api/v1/events/ID/nearby", "\(foreignEvent)", missing, nil, 404),
                ("GET", "/api/v1/events/ID/incidents", "\(foreignEvent)", missing, nil, 404),
                ("GET", "/api/v1/events/ID/review", "\(foreignEvent)", missing, nil, 404),
                ("PUT", "/api/v1/events/ID/review", "\(foreignEvent)", missing, #"{"reviewed": true}"#, 404),
                ("GET", "/api/v1/recordings/ID/clip?from=1&to=3", "\(foreignRecording)", missing, nil, 404),
                ("GET", "/api/v1/incidents/ID", "\(foreignIncident)", missing, nil, 404),
                ("POST", "/api/v1/incidents/ID/links/1/confirm", "\(foreignIncident)", missing, nil, 404),
                ("POST", "/api/v1/incidents/\(ownIncident)/links/ID/reject", "\(foreignEvent)", missing, nil, 404),
                ("GET", "/api/v1/cameras/ID/day?date=2024-07-10", "CAM03", "CAM99", nil, 404),
                ("GET", "/api/v1/incident-references/ID", "INC-2", "INC-404", nil, 404),
                ("GET", "/api/v1/exports/ID", foreignBundle, missingBundle, nil, 404),
                ("POST", "/api/v1/bundles/ID/verify", foreignBundle, missingBundle, nil, 404),
                ("POST", "/api/v1/exports", "\(foreignEvent)", missing, #"{"events": [ID], "case_id": "C", "reason": "r"}"#, 400),
                ("POST", "/api/v1/exports", "CAM03", "CAM99",
                 #"{"camera": "ID", "from": "2024-07-10 15:30", "to": "2024-07-10 15:31", "case_id": "C", "reason": "r"}"#, 400),
                ("GET", "/api/v1/events?camera=ID", "CAM03", "CAM99", nil, 200),
            ]
            for (method, path, foreign, absent, body, status) in routes {
                func send(_ id: String) async throws -> TestServer.Reply {
                    try await server.send(method, path.replacingOccurrences(of: "ID", with: id), token: tokens.benThanhInvestigator,
                                          headers: body == nil ? [:] : json, body: body.map { Data($0.replacingOccurrences(of: "ID", with: id).utf8) })
                }
                let other = try await send(foreign), none = try await send(absent)
                #expect(other.status == status && none.status == status, "\(method) \(path): \(other.status) and \(none.status)")
                #expect(masked(other, foreign) == masked(none, absent), "\(method) \(path): \(masked(other, foreign)) vs \(masked(none, absent))")
                #expect(other.headers["content-type"] == none.headers["content-type"], "\(method) \(path)")
            }
            // The ids exist: an unlimited investigator reaches them.
            for path in ["/api/v1/events/\(foreignEvent)", "/api/v1/events/\(foreignEvent)/still.jpg",
                         "/api/v1/recordings/\(foreignRecording)/clip?from=1&to=3", "/api/v1/incidents/\(foreignIncident)",
                         "/api/v1/cameras/CAM03/day?date=2024-07-10", "/api/v1/exports/\(foreignBundle)"] {
                #expect(try await server.get(path, token: tokens.investigator).status == 200, "\(path)")
            }
            // The role still decides first: a viewer is refused clips of any id, existing or not.
            #expect(try await server.get("/api/v1/recordings/\(missing)/clip?from=1&to=3", token: tokens.benThanhViewer).status == 403)
            // Each refusal is in the audit trail, where only admins read it.
            let denied = try await server.catalog.auditEntries(actor: "giang", action: nil, from: nil, to: nil).filter { $0.action.hasSuffix(".denied") }
            #expect(denied.count >= 12, "\(denied.map(\.action))")
        }
    }
}
