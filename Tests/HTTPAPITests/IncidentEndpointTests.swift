import Access
import Catalog
import CatalogSQLite
import Foundation
import HTTPAPI
import Testing
import TestSupport

@Suite("HTTP API: incidents, tips and links, in process")
struct IncidentEndpointTests {
    static let contact = "0912 345 678"

    /// Two incidents (one per ward, 15:33 and 15:35 local), a tip with a reporter contact.
    static let incidents = """
        [{"reference": "INC-1", "category": "va chạm", "occurred_at": "2024-07-10 15:33", "uncertainty_min": 1,
          "address": "Nguyen Trai giao Le Loi", "description": "Xe máy va chạm ô tô"},
         {"reference": "INC-2", "category": "trộm cắp", "occurred_at": "2024-07-10 15:35", "uncertainty_min": 1,
          "address": "số 5 Đinh Lễ", "description": "Mất ví"}]
        """
    static let tips = """
        {"id": "T-1", "channel": "phone", "occurred_at": "2024-07-10 15:33", "uncertainty_min": 2,
         "location": "ngã tư Nguyễn Trãi – Lê Lợi", "incident": "INC-1", "reporter_contact": "\(contact)"}
        """

    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens, OpenAPIValidator) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder) { server in try await body(server, tokens, try OpenAPIValidator()) }
    }

    /// Checks a reply against the OpenAPI document.
    func check(_ reply: TestServer.Reply, _ path: String, _ method: String = "get", _ validator: OpenAPIValidator) throws {
        let problems = try validator.problems(path: path, method: method, status: reply.status,
                                              contentType: reply.headers["content-type"] ?? "", body: reply.body)
        #expect(problems.isEmpty, "\(method) \(path) \(reply.status): \(problems)")
    }

    @Test("investigators import; the expected event ranks first; viewers never see reporter contacts")
    func importAndRead() async throws {
        try await withServer { server, tokens, validator in
            // A ward-scoped token may not import: an import can rewrite any ward's reports by reference.
            #expect(try await server.post("/api/v1/incidents", token: tokens.benThanhInvestigator, json: Self.incidents).status == 403)
            let imported = try await server.post("/api/v1/incidents", token: tokens.investigator, json: Self.incidents)
            #expect(imported.status == 200, "\(String(decoding: imported.body, as: UTF8.self))")
            try check(imported, "/api/v1/incidents", "post", validator)
            #expect(imported.object["inserted"] as? Int == 2)
            let tip = try await server.post("/api/v1/tips", token: tokens.investigator, json: Self.tips)
            #expect(tip.status == 200)
            try check(tip, "/api/v1/tips", "post", validator)
            #expect(!tip.body.contains(Data(Self.contact.utf8)))

            let list = try await server.get("/api/v1/incidents", token: tokens.viewer)
            try check(list, "/api/v1/incidents", "get", validator)
            let incidents = try #require(list.object["incidents"] as? [[String: Any]])
            #expect(incidents.compactMap { $0["reference"] as? String } == ["INC-1", "INC-2"])
            let id = try #require(incidents.first?["id"] as? Int)

            // Events start each minute from 15:30 on each camera; 15:33 at the Nguyễn Trãi – Lê Lợi corner is CAM02's.
            let viewer = try await server.get("/api/v1/incidents/\(id)", token: tokens.viewer)
            try check(viewer, "/api/v1/incidents/{id}", "get", validator)
            let links = try #require(viewer.object["links"] as? [[String: Any]])
            #expect(links.first?["camera"] as? String == "CAM02")
            #expect(links.first?["start"] as? String == "2024-07-10T15:33:01.000+07:00")
            #expect(links.first?["reason"] as? String == "camera CAM02, at the named intersection, event 1 s after the reported time")
            #expect((viewer.object["tips"] as? [[String: Any]])?.count == 1)
            #expect(!viewer.body.contains(Data(Self.contact.utf8)))
            let viewerTips = try await server.get("/api/v1/tips", token: tokens.viewer)
            try check(viewerTips, "/api/v1/tips", "get", validator)
            #expect((viewerTips.object["tips"] as? [[String: Any]])?.count == 1)
            #expect(!viewerTips.body.contains(Data(Self.contact.utf8)))

            let investigator = try await server.get("/api/v1/incidents/\(id)", token: tokens.investigator)
            try check(investigator, "/api/v1/incidents/{id}", "get", validator)
            #expect((investigator.object["tips"] as? [[String: Any]])?.first?["reporter_contact"] as? String == Self.contact)
            let investigatorTips = try await server.get("/api/v1/tips?incident=INC-1", token: tokens.investigator)
            #expect((investigatorTips.object["tips"] as? [[String: Any]])?.first?["reporter_contact"] as? String == Self.contact)

            let entries = try await server.catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(entries.map(\.action) == ["import.denied", "import.incidents", "import.tips", "incidents", "incident.view", "tips",
                                              "incident.view", "tips"])
            #expect(!entries.contains { $0.query.contains(Self.contact) })
        }
    }

    @Test("a ward-scoped viewer sees only its ward's incidents; another's id answers as a missing one")
    func wardScope() async throws {
        try await withServer { server, tokens, validator in
            _ = try await server.post("/api/v1/incidents", token: tokens.investigator, json: Self.incidents)
            let scoped = try await server.get("/api/v1/incidents", token: tokens.benThanhViewer)
            let incidents = try #require(scoped.object["incidents"] as? [[String: Any]])
            #expect(incidents.compactMap { $0["reference"] as? String } == ["INC-1"])
            let other = try #require(try await server.catalog.incident(reference: "INC-2"))
            let refused = try await server.get("/api/v1/incidents/\(other.id)", token: tokens.benThanhViewer)
            #expect(refused.status == 404)
            try check(refused, "/api/v1/incidents/{id}", "get", validator)
            #expect(try await server.catalog.auditEntries(actor: "binh", action: "incident.denied", from: nil, to: nil).count == 1)

            // A tip placed in another ward that names this ward's incident stays out of the incident's page.
            let tips = """
                [{"id": "T-near", "channel": "phone", "occurred_at": "2024-07-10 15:33", "location": "số 12 Nguyễn Trãi",
                  "incident": "INC-1"},
                 {"id": "T-far", "channel": "zalo", "occurred_at": "2024-07-10 15:33", "location": "số 5 Đinh Lễ",
                  "incident": "INC-1"}]
                """
            #expect(try await server.post("/api/v1/tips", token: tokens.investigator, json: tips).status == 200)
            let own = try #require(try await server.catalog.incident(reference: "INC-1"))
            func tipIDs(_ token: String) async throws -> Set<String> {
                let page = try await server.get("/api/v1/incidents/\(own.id)", token: token)
                return Set(((page.object["tips"] as? [[String: Any]]) ?? []).compactMap { ($0["reference"] ?? $0["id"]) as? String })
            }
            #expect(try await tipIDs(tokens.viewer) == ["T-near", "T-far"])
            #expect(try await tipIDs(tokens.benThanhViewer) == ["T-near"])
        }
    }

    @Test("a bad row is a 400 naming the row and field, and nothing is imported; viewers may not import")
    func refusals() async throws {
        try await withServer { server, tokens, validator in
            let bad = """
                [{"reference": "INC-1", "category": "x", "occurred_at": "2024-07-10 15:33", "address": "Lê Lợi"},
                 {"reference": "INC-2", "category": "x", "occurred_at": "2024-07-10 25:00", "address": "Lê Lợi"}]
                """
            let reply = try await server.post("/api/v1/incidents", token: tokens.investigator, json: bad)
            #expect(reply.status == 400 && reply.errorField == "occurred_at")
            try check(reply, "/api/v1/incidents", "post", validator)
            let message = (reply.object["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.hasPrefix("request body:2: row 2: occurred_at: '2024-07-10 25:00' is not an ISO 8601 time"), "\(message)")
            #expect(try await server.catalog.incidents(matching: ReportFilter()).isEmpty)

            let notJSON = try await server.post("/api/v1/tips", token: tokens.investigator, json: "id,channel\n")
            #expect(notJSON.status == 400)
            let denied = try await server.post("/api/v1/incidents", token: tokens.viewer, json: Self.incidents)
            #expect(denied.status == 403)
            try check(denied, "/api/v1/incidents", "post", validator)
            #expect(try await server.catalog.incidents(matching: ReportFilter()).isEmpty)
            let unknown = try await server.get("/api/v1/incidents?colour=red", token: tokens.viewer)
            #expect(unknown.status == 400 && unknown.errorField == "colour")
        }
    }

    @Test("confirm and reject: investigators only, audited, and kept when the incident changes and is relinked")
    func decisions() async throws {
        try await withServer { server, tokens, validator in
            _ = try await server.post("/api/v1/incidents", token: tokens.investigator, json: Self.incidents)
            let incident = try #require(try await server.catalog.incident(reference: "INC-1"))
            let links = try await server.catalog.linkedEvents(kind: .incident, reportID: incident.id)
            let first = try #require(links.first), second = try #require(links.dropFirst().first)
            let path = "/api/v1/incidents/\(incident.id)/links/\(first.event.id)"
            #expect(try await server.post(path + "/confirm", token: tokens.viewer).status == 403)
            let confirmed = try await server.post(path + "/confirm", token: tokens.investigator)
            #expect(confirmed.status == 200 && confirmed.object["state"] as? String == "confirmed")
            #expect(confirmed.object["decided_by"] as? String == "chi")
            try check(confirmed, "/api/v1/incidents/{id}/links/{event}/confirm", "post", validator)
            let rejected = try await server.post("/api/v1/incidents/\(incident.id)/links/\(second.event.id)/reject",
                                                 token: tokens.investigator)
            try check(rejected, "/api/v1/incidents/{id}/links/{event}/reject", "post", validator)
            let missing = try await server.post("/api/v1/incidents/\(incident.id)/links/99999/confirm", token: tokens.investigator)
            #expect(missing.status == 404)

            // The incident moves an hour later: its suggestions go, the two decisions stay.
            let moved = Self.incidents.replacingOccurrences(of: "2024-07-10 15:33", with: "2024-07-10 16:33")
            let reimported = try await server.post("/api/v1/incidents", token: tokens.investigator, json: moved)
            #expect(reimported.object["updated"] as? Int == 1 && reimported.object["unchanged"] as? Int == 1)
            let after = try await server.catalog.linkedEvents(kind: .incident, reportID: incident.id)
            #expect(Set(after.map(\.link.state)) == [.confirmed, .rejected] && after.count == 2)
            #expect(try await server.catalog.auditEntries(actor: "chi", action: "link.confirm", from: nil, to: nil).count == 1)
            #expect(try await server.catalog.auditEntries(actor: "an", action: "link.confirm.denied", from: nil, to: nil).count == 1)
        }
    }
}
