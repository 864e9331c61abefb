import Access
import Catalog
import CatalogSQLite
import Foundation
import GRDB
import HTTPAPI
import Testing
import TestSupport

@Suite("HTTP API, in process")
struct APIServerTests {
    /// Runs `body` against the API, in process, over the fixture catalog.
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder) { server in try await body(server, tokens) }
    }

    func cameraIDs(_ reply: TestServer.Reply) -> Set<String> {
        Set(reply.events.compactMap { ($0["camera"] as? [String: Any])?["id"] as? String })
    }

    @Test("a street matches with and without diacritics, by word prefix")
    func streets() async throws {
        try await withServer { server, tokens in
            let plain = try await server.get("/api/v1/events?street=nguyen%20trai&limit=100", token: tokens.viewer)
            let marked = try await server.get("/api/v1/events?street=\(encoded("Nguyễn Trãi"))&limit=100", token: tokens.viewer)
            let prefix = try await server.get("/api/v1/events?street=\(encoded("LE LO"))", token: tokens.viewer)
            #expect(plain.status == 200 && marked.status == 200)
            #expect(cameraIDs(plain) == ["CAM01", "CAM02"])
            #expect(plain.events.count == 20)
            #expect(plain.body == marked.body)
            #expect(cameraIDs(prefix) == ["CAM02"])
        }
    }

    @Test("radius and box select cameras by position; distance order puts the nearest first")
    func places() async throws {
        try await withServer { server, tokens in
            let near = try await server.get("/api/v1/events?near=10.7725,106.6980&radius=300", token: tokens.viewer)
            #expect(cameraIDs(near) == ["CAM01", "CAM02"])
            let wide = try await server.get("/api/v1/events?near=10.7725,106.6980&radius=5000&sort=distance", token: tokens.viewer)
            #expect(cameraIDs(wide) == ["CAM01", "CAM02", "CAM03"])
            #expect((wide.events.first?["camera"] as? [String: Any])?["id"] as? String == "CAM01")
            #expect((wide.events.last?["distance_m"] as? Double ?? 0) > 2000)
            let box = try await server.get("/api/v1/events?bbox=10.78,106.70,10.80,106.72", token: tokens.viewer)
            #expect(cameraIDs(box) == ["CAM03"])
        }
    }

    @Test("times: local without offset, UTC, and explicit offsets select the same events")
    func timeZones() async throws {
        try await withServer { server, tokens in
            // Events start each minute from 15:30:00 local (+07:00); 15:33–15:35 local holds minutes 3 and 4.
            let local = try await server.get("/api/v1/events?camera=CAM01&from=\(encoded("2024-07-10 15:33"))&to=\(encoded("2024-07-10 15:35"))",
                                             token: tokens.viewer)
            let utc = try await server.get("/api/v1/events?camera=CAM01&from=2024-07-10T08:33:00Z&to=2024-07-10T08:35:00Z",
                                           token: tokens.viewer)
            let offset = try await server.get("/api/v1/events?camera=CAM01&from=\(encoded("2024-07-10T15:33:00+07:00"))&to=\(encoded("2024-07-10T10:35:00+02:00"))",
                                              token: tokens.viewer)
            #expect(local.status == 200)
            #expect(local.events.map { $0["start_local"] as? String } == ["2024-07-10T15:33:00.000+07:00", "2024-07-10T15:34:00.000+07:00"])
            #expect(local.events.map { $0["start"] as? String } == ["2024-07-10T08:33:00.000Z", "2024-07-10T08:34:00.000Z"])
            #expect(utc.body == local.body)
            #expect(offset.body == local.body)
        }
    }

    @Test("pages follow the cursor without gaps or repeats, in time and in distance order")
    func pagination() async throws {
        try await withServer { server, tokens in
            for order in ["", "&near=10.7725,106.6980&radius=5000&sort=distance"] {
                let all = try await server.get("/api/v1/events?limit=1000\(order)", token: tokens.viewer)
                var seen: [Int] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let page = try await server.get("/api/v1/events?limit=7\(order)" + (cursor.map { "&cursor=\(encoded($0))" } ?? ""),
                                                    token: tokens.viewer)
                    #expect(page.status == 200)
                    seen += page.events.compactMap { $0["id"] as? Int }
                    cursor = page.object["next_cursor"] as? String
                    pages += 1
                } while cursor != nil && pages < 20
                #expect(seen == all.events.compactMap { $0["id"] as? Int })
                #expect(seen.count == 30 && Set(seen).count == 30)
                #expect(pages == 5)
            }
        }
    }

    @Test("bad parameters are 400s naming the field", arguments: [
        ("from=yesterday", "from"), ("to=2024-13-40", "to"), ("limit=0", "limit"), ("limit=ten", "limit"),
        ("near=north", "near"), ("radius=-5&near=10.77,106.69", "radius"), ("bbox=1,2,3", "bbox"), ("sort=random", "sort"),
        ("sort=distance", "sort"), ("last=forever", "last"), ("min_score=high", "min_score"), ("cursor=%21%21", "cursor"),
        ("colour=red", "colour"), ("format=xml", "format"), ("from=2024-07-10T09:00:00Z&to=2024-07-10T08:00:00Z", "to"),
    ])
    func badParameters(query: String, field: String) async throws {
        try await withServer { server, tokens in
            let reply = try await server.get("/api/v1/events?\(query)", token: tokens.viewer)
            #expect(reply.status == 400)
            #expect(reply.errorField == field, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test("a cursor from another search is a 400, not a wrong page")
    func foreignCursor() async throws {
        try await withServer { server, tokens in
            let first = try await server.get("/api/v1/events?limit=2", token: tokens.viewer)
            let cursor = try #require(first.object["next_cursor"] as? String)
            let other = try await server.get("/api/v1/events?limit=2&near=10.7725,106.6980&sort=distance&cursor=\(encoded(cursor))",
                                             token: tokens.viewer)
            #expect(other.status == 400 && other.errorField == "cursor")
        }
    }

    @Test("no token, a wrong token or a revoked one is 401 with a challenge; unknown ids are 404")
    func unauthorizedAndMissing() async throws {
        try await withServer { server, tokens in
            for token in [nil, "ww_not-a-real-token", tokens.revoked] {
                for path in ["/api/v1/events", "/api/v1/cameras", "/api/v1/events/1", "/api/v1/events/1/still.jpg"] {
                    let reply = try await server.get(path, token: token)
                    #expect(reply.status == 401, "\(path)")
                    #expect(reply.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
                }
            }
            #expect(try await server.get("/api/v1/events/99999", token: tokens.viewer).status == 404)
            #expect(try await server.get("/api/v1/events/99999/still.jpg", token: tokens.viewer).status == 404)
            #expect(try await server.get("/api/v1/events/2/still.jpg", token: tokens.viewer).status == 404) // no still
            #expect(try await server.get("/api/v1/nothing-here", token: tokens.viewer).status == 404)
            let bad = try await server.get("/api/v1/events/zero", token: tokens.viewer)
            #expect(bad.status == 400 && bad.errorField == "id")
        }
    }

    @Test("a viewer limited to one ward never sees another ward's cameras or events: its ids answer as missing ones")
    func wardScope() async throws {
        try await withServer { server, tokens in
            let everything = try await server.get("/api/v1/events?limit=1000", token: tokens.benThanhViewer)
            #expect(cameraIDs(everything) == ["CAM01", "CAM02"])
            let cameras = try await server.get("/api/v1/cameras", token: tokens.benThanhViewer)
            #expect(((cameras.object["cameras"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == ["CAM01", "CAM02"])
            let street = try await server.get("/api/v1/events?street=dinh%20le", token: tokens.benThanhViewer)
            #expect(street.status == 200 && street.events.isEmpty)
            let otherWard = try await server.get("/api/v1/events?ward=trang%20tien", token: tokens.benThanhViewer)
            #expect(otherWard.status == 403)
            // Another ward's camera finds what an unknown camera finds: nothing (issue 15, defect 10).
            let otherCamera = try await server.get("/api/v1/events?camera=CAM03", token: tokens.benThanhViewer)
            let unknownCamera = try await server.get("/api/v1/events?camera=CAM99", token: tokens.benThanhViewer)
            #expect(otherCamera.status == 200 && otherCamera.events.isEmpty && otherCamera.body == unknownCamera.body)
            let all = try await server.get("/api/v1/events?camera=CAM03&limit=1", token: tokens.viewer)
            let foreignEvent = try #require(all.events.first?["id"] as? Int)
            #expect(try await server.get("/api/v1/events/\(foreignEvent)", token: tokens.benThanhViewer).status == 404)
            #expect(try await server.get("/api/v1/events/\(foreignEvent)/still.jpg", token: tokens.benThanhViewer).status == 404)
            #expect(try await server.get("/api/v1/events/\(foreignEvent)", token: tokens.viewer).status == 200)
            let own = try await server.get("/api/v1/events?ward=ben%20thanh", token: tokens.benThanhViewer)
            #expect(own.status == 200 && cameraIDs(own) == ["CAM01", "CAM02"])
        }
    }

    @Test("event detail and still: the still is served as JPEG, the detail links to it and to a clip")
    func eventAndStill() async throws {
        try await withServer { server, tokens in
            let page = try await server.get("/api/v1/events?camera=CAM01&limit=1", token: tokens.viewer)
            let id = try #require(page.events.first?["id"] as? Int)
            let detail = try await server.get("/api/v1/events/\(id)", token: tokens.viewer)
            #expect(detail.status == 200)
            let event = try #require(detail.object["event"] as? [String: Any])
            #expect(event["still"] as? String == "/api/v1/events/\(id)/still.jpg")
            let playback = try #require(event["playback"] as? [String: Any])
            #expect((playback["clip_url"] as? String)?.hasPrefix("/api/v1/recordings/") == true)
            #expect(playback["path"] == nil) // server paths stay on the server
            let still = try await server.get("/api/v1/events/\(id)/still.jpg", token: tokens.viewer)
            #expect(still.status == 200 && still.headers["content-type"] == "image/jpeg" && still.body == Fixture.still)
        }
    }

    @Test("every response matches the OpenAPI document served at /api/v1/openapi.yaml")
    func openAPI() async throws {
        try await withServer { server, tokens in
            let validator = try OpenAPIValidator()
            let served = try await server.get("/api/v1/openapi.yaml", token: nil)
            #expect(served.status == 200 && String(decoding: served.body, as: UTF8.self) == WardWatchAPI.openAPIDocument)
            let cases: [(String, String, String?)] = [
                ("/api/v1/events", "/api/v1/events?street=nguyen%20trai&limit=5", tokens.viewer),
                ("/api/v1/events", "/api/v1/events?near=10.7725,106.6980&radius=5000&sort=distance&limit=3", tokens.viewer),
                ("/api/v1/events", "/api/v1/events?format=geojson&limit=3", tokens.viewer),
                ("/api/v1/events", "/api/v1/events?from=nope", tokens.viewer),
                ("/api/v1/events", "/api/v1/events", nil),
                ("/api/v1/events", "/api/v1/events?ward=trang%20tien", tokens.benThanhViewer),
                ("/api/v1/cameras", "/api/v1/cameras", tokens.viewer),
                ("/api/v1/events/{id}", "/api/v1/events/1", tokens.viewer),
                ("/api/v1/events/{id}", "/api/v1/events/424242", tokens.viewer),
                ("/api/v1/events/{id}", "/api/v1/events/x", tokens.viewer),
            ]
            for (template, url, token) in cases {
                let reply = try await server.get(url, token: token)
                let problems = try validator.problems(path: template, status: reply.status,
                                                      contentType: reply.headers["content-type"] ?? "", body: reply.body)
                #expect(problems.isEmpty, "\(url) → \(reply.status): \(problems)")
            }
        }
    }
}

extension APIServerTests {
    @Test("concurrent requests are each audited once, in one intact chain (group commit)")
    func concurrentAudit() async throws {
        try await withServer { server, tokens in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask { try await server.get("/api/v1/events?limit=\(index + 1)", token: tokens.viewer).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            let entries = try await server.catalog.auditEntries(actor: "an", action: "search", from: nil, to: nil)
            #expect(entries.count == 40)
            #expect(Set(entries.map(\.query)).count == 40)
            await #expect(AuditChain.firstProblem(in: try server.catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)) == nil)
        }
    }
}

@Suite("OpenAPI checking")
struct OpenAPIValidatorTests {
    @Test("the checker rejects undocumented statuses, missing fields, wrong types and unknown properties")
    func rejects() throws {
        let validator = try OpenAPIValidator()
        let json = "application/json"
        #expect(try validator.problems(path: "/api/v1/cameras", status: 418, contentType: json, body: Data("{}".utf8)) != [])
        #expect(try validator.problems(path: "/api/v1/cameras", status: 200, contentType: json, body: Data("{}".utf8))
            == ["$: missing required cameras"])
        #expect(try validator.problems(path: "/api/v1/cameras", status: 200, contentType: json,
                                       body: Data(#"{"cameras":[{"id":7}]}"#.utf8)).count == 1)
        #expect(try validator.problems(path: "/api/v1/cameras", status: 200, contentType: json,
                                       body: Data(#"{"cameras":[{"id":"A","colour":"red"}]}"#.utf8)).count == 1)
        #expect(try validator.problems(path: "/api/v1/cameras", status: 200, contentType: json,
                                       body: Data(#"{"cameras":[{"id":"A","ward":null}]}"#.utf8)).isEmpty)
    }
}
