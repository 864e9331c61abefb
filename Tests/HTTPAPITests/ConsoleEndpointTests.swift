import Access
import Catalog
import CatalogSQLite
import Foundation
import HTTPAPI
import Testing
import TestSupport

/// A browser's view of the API: requests that carry a session cookie (and, for writes, its CSRF
/// secret) instead of a bearer token.
struct Browser {
    let server: TestServer
    var cookie: String?
    var csrf: String?

    func send(_ method: String, _ path: String, json: String? = nil, csrf: String? = nil, origin: String? = nil,
              token: String? = nil) async throws -> TestServer.Reply {
        var headers: [String: String] = [:]
        if json != nil { headers["Content-Type"] = "application/json" }
        if let cookie { headers["Cookie"] = "ww_session=\(cookie)" }
        if let csrf { headers["X-CSRF-Token"] = csrf }
        if let origin { headers["Origin"] = origin }
        return try await server.send(method, path, token: token, headers: headers, body: json.map { Data($0.utf8) })
    }

    /// Signs in with a token and keeps the cookie and the CSRF secret.
    mutating func signIn(_ token: String) async throws -> TestServer.Reply {
        let reply = try await send("POST", "/api/v1/session", json: #"{"token": "\#(token)"}"#)
        if let header = reply.headers["set-cookie"], let value = header.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last {
            cookie = String(value)
        }
        csrf = reply.object["csrf_token"] as? String
        return reply
    }
}

@Suite("HTTP API: the web console's sessions and routes on a live loopback server")
struct ConsoleEndpointTests {
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens, OpenAPIValidator) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder) { server in try await body(server, tokens, try OpenAPIValidator()) }
    }

    func check(_ reply: TestServer.Reply, _ path: String, _ method: String = "get", _ validator: OpenAPIValidator) throws {
        let problems = try validator.problems(path: path, method: method, status: reply.status,
                                              contentType: reply.headers["content-type"] ?? "", body: reply.body)
        #expect(problems.isEmpty, "\(method) \(path) \(reply.status): \(problems)")
    }

    func firstEvent(_ server: TestServer, _ token: String, camera: String) async throws -> Int64 {
        let page = try await server.get("/api/v1/events?camera=\(camera)&limit=1", token: token)
        return try #require(page.events.first?["id"] as? Int).int64
    }

    @Test("a token is exchanged once for an HttpOnly SameSite=Strict session; wrong tokens get nothing")
    func signIn() async throws {
        try await withServer { server, tokens, validator in
            var browser = Browser(server: server)
            let before = try await browser.send("GET", "/api/v1/session")
            try check(before, "/api/v1/session", "get", validator)
            #expect(before.object["signed_in"] as? Bool == false)
            let refused = try await browser.signIn("ww_not-a-token")
            #expect(refused.status == 401 && browser.cookie == nil)
            let reply = try await browser.signIn(tokens.investigator)
            #expect(reply.status == 200)
            try check(reply, "/api/v1/session", "post", validator)
            let header = try #require(reply.headers["set-cookie"])
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Max-Age=43200"), "\(header)")
            #expect(!String(decoding: reply.body, as: UTF8.self).contains(tokens.investigator))
            #expect(reply.object["role"] as? String == "investigator")
            // Only the session id's hash is stored.
            let cookie = try #require(browser.cookie)
            let stored = try await server.catalog.session(idHash: AccessTokens.hash(cookie), at: Date())
            #expect(stored != nil)
            let unhashed = try await server.catalog.session(idHash: cookie, at: Date())
            #expect(unhashed == nil)

            let now = try await browser.send("GET", "/api/v1/session")
            #expect(now.object["signed_in"] as? Bool == true && now.object["csrf_token"] as? String == browser.csrf)
            let search = try await browser.send("GET", "/api/v1/events?street=nguyen%20trai&limit=5")
            #expect(search.status == 200 && search.events.count == 5)
            let audit = try await server.catalog.auditEntries(actor: "chi", action: "session.start", from: nil, to: nil)
            #expect(audit.count == 1)
        }
    }

    @Test("writes with a session need its CSRF secret and this origin")
    func csrf() async throws {
        try await withServer { server, tokens, validator in
            var browser = Browser(server: server)
            _ = try await browser.signIn(tokens.viewer)
            let event = try await firstEvent(server, tokens.viewer, camera: "CAM01")
            let path = "/api/v1/events/\(event)/review"
            let body = #"{"reviewed": true, "note": "người đi bộ"}"#
            #expect(try await browser.send("PUT", path, json: body).status == 403)
            #expect(try await browser.send("PUT", path, json: body, csrf: "ww_wrong").status == 403)
            #expect(try await browser.send("PUT", path, json: body, csrf: browser.csrf, origin: "http://evil.example").status == 403)
            let saved = try await browser.send("PUT", path, json: body, csrf: browser.csrf)
            #expect(saved.status == 200)
            try check(saved, "/api/v1/events/{id}/review", "put", validator)
            let read = try await browser.send("GET", path)
            #expect(read.object["reviewed"] as? Bool == true && read.object["note"] as? String == "người đi bộ")
            // Reviews are per user: another user has none.
            let other = try await server.get(path, token: tokens.investigator)
            #expect(other.object["reviewed"] as? Bool == false)
            let list = try await browser.send("GET", "/api/v1/reviews?events=\(event),\(event + 1)")
            #expect((list.object["reviews"] as? [[String: Any]])?.count == 1)
            let audit = try await server.catalog.auditEntries(actor: "an", action: "review", from: nil, to: nil)
            #expect(audit.map(\.query) == ["event=\(event) reviewed=true note=người đi bộ"])
        }
    }

    @Test("revoking the user ends the session; signing out deletes it")
    func revokeAndSignOut() async throws {
        try await withServer { server, tokens, _ in
            var first = Browser(server: server), second = Browser(server: server)
            _ = try await first.signIn(tokens.viewer)
            _ = try await second.signIn(tokens.investigator)
            #expect(try await first.send("GET", "/api/v1/cameras").status == 200)
            _ = try await server.catalog.revokeUser(name: "an")
            #expect(try await first.send("GET", "/api/v1/cameras").status == 401)
            #expect(try await first.send("GET", "/api/v1/session").object["signed_in"] as? Bool == false)

            #expect(try await second.send("DELETE", "/api/v1/session").status == 403)
            let out = try await second.send("DELETE", "/api/v1/session", csrf: second.csrf)
            #expect(out.status == 204)
            #expect(out.headers["set-cookie"]?.contains("Max-Age=0") == true)
            #expect(try await second.send("GET", "/api/v1/cameras").status == 401)
        }
    }

    @Test("a camera's day: recorded stretches, gaps and events; nearby cameras' events within ±2 minutes")
    func dayAndNearby() async throws {
        try await withServer { server, tokens, validator in
            let day = try await server.get("/api/v1/cameras/CAM01/day?date=2024-07-10", token: tokens.viewer)
            #expect(day.status == 200)
            try check(day, "/api/v1/cameras/{id}/day", "get", validator)
            #expect(day.events.count == 10)
            let covered = try #require(day.object["covered"] as? [[String: String]])
            #expect(covered.map { $0["start"] } == ["2024-07-10T15:30:00.000+07:00"] && covered.map { $0["end"] } == ["2024-07-10T15:40:00.000+07:00"])
            let gaps = try #require(day.object["gaps"] as? [[String: String]])
            #expect(gaps.map { $0["start"] } == ["2024-07-10T00:00:00.000+07:00", "2024-07-10T15:40:00.000+07:00"])
            #expect(try await server.get("/api/v1/cameras/CAM01/day?date=2024-07-09", token: tokens.viewer).events.isEmpty)
            #expect(try await server.get("/api/v1/cameras/CAM01/day?date=10/07/2024", token: tokens.viewer).errorField == "date")
            #expect(try await server.get("/api/v1/cameras/CAM03/day?date=2024-07-10", token: tokens.benThanhViewer).status == 404)
            #expect(try await server.get("/api/v1/cameras/NOPE/day", token: tokens.viewer).status == 404)

            let event = try await firstEvent(server, tokens.viewer, camera: "CAM01")
            let near = try await server.get("/api/v1/events/\(event)/nearby?seconds=120", token: tokens.viewer)
            try check(near, "/api/v1/events/{id}/nearby", "get", validator)
            // CAM02 is 200 m away and its first event starts a second later; CAM03 is 2.5 km away.
            let cameras = Set(near.events.compactMap { ($0["camera"] as? [String: Any])?["id"] as? String })
            #expect(cameras == ["CAM02"])
            #expect(near.events.count == 3, "CAM02's events at 0, 60 and 120 s")
            let narrow = try await server.get("/api/v1/events/\(event)/nearby?seconds=30&radius=100", token: tokens.viewer)
            #expect(narrow.events.isEmpty)
            #expect(try await server.get("/api/v1/events/\(event)/nearby?seconds=0", token: tokens.viewer).errorField == "seconds")
        }
    }

    @Test("status, audit and bundles: role checks, refusals audited, the chain verified")
    func operations() async throws {
        try await withServer { server, tokens, validator in
            let admin = AccessTokens.generate()
            try await server.catalog.addUser(User(name: "admin", role: .admin, ward: nil, created: Date(), revoked: nil),
                                       tokenHash: AccessTokens.hash(admin))
            let status = try await server.get("/api/v1/status", token: tokens.benThanhViewer)
            try check(status, "/api/v1/status", "get", validator)
            let cameras = try #require(status.object["cameras"] as? [[String: Any]])
            #expect(cameras.map { $0["id"] as? String } == ["CAM01", "CAM02"])
            #expect(cameras.allSatisfy { $0["state"] as? String == "ok" && $0["events"] as? Int == 10 })

            let denied = try await server.get("/api/v1/audit", token: tokens.investigator)
            #expect(denied.status == 403)
            try check(denied, "/api/v1/audit", "get", validator)
            #expect(try await server.catalog.auditEntries(actor: "chi", action: "audit.denied", from: nil, to: nil).count == 1)
            let list = try await server.get("/api/v1/audit?action=audit.denied", token: admin)
            try check(list, "/api/v1/audit", "get", validator)
            #expect(list.object["total"] as? Int == 1)
            let verified = try await server.post("/api/v1/audit/verify", token: admin)
            try check(verified, "/api/v1/audit/verify", "post", validator)
            #expect(verified.object["intact"] as? Bool == true)
            #expect(try await server.post("/api/v1/audit/verify", token: tokens.viewer).status == 403)

            #expect(try await server.get("/api/v1/bundles", token: tokens.viewer).status == 403)
            let bundles = try await server.get("/api/v1/bundles", token: tokens.investigator)
            try check(bundles, "/api/v1/bundles", "get", validator)
            #expect((bundles.object["bundles"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("an event's incidents, and an incident found by its reference")
    func eventIncidents() async throws {
        try await withServer { server, tokens, validator in
            let imported = try await server.post("/api/v1/incidents", token: tokens.investigator, json: IncidentEndpointTests.incidents)
            #expect(imported.status == 200)
            let found = try await server.get("/api/v1/incident-references/INC-1", token: tokens.viewer)
            try check(found, "/api/v1/incident-references/{reference}", "get", validator)
            let id = try #require(found.object["id"] as? Int)
            #expect(try await server.get("/api/v1/incident-references/INC-9", token: tokens.viewer).status == 404)
            let incident = try await server.get("/api/v1/incidents/\(id)", token: tokens.viewer)
            let links = try #require(incident.object["links"] as? [[String: Any]])
            let best = try #require(links.first?["event"] as? Int)
            let reply = try await server.get("/api/v1/events/\(best)/incidents", token: tokens.viewer)
            try check(reply, "/api/v1/events/{id}/incidents", "get", validator)
            let items = try #require(reply.object["incidents"] as? [[String: Any]])
            #expect(items.compactMap { ($0["incident"] as? [String: Any])?["reference"] as? String } == ["INC-1"])
            #expect((items.first?["link"] as? [String: Any])?["state"] as? String == "suggested")
            // INC-2 is in Tràng Tiền: a Bến Thành viewer cannot look it up by reference.
            #expect(try await server.get("/api/v1/incident-references/INC-2", token: tokens.benThanhViewer).status == 404)
        }
    }

    @Test("the console page: embedded files, a Content-Security-Policy without inline script")
    func page() async throws {
        try await withServer { server, _, _ in
            let page = try await server.get("/", token: nil)
            #expect(page.status == 200)
            let policy = try #require(page.headers["content-security-policy"])
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") && !policy.contains("http"))
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains(#"name="token""#) && html.contains(#"<script type="module" src="/console/app.js">"#))
            #expect(!html.contains("<script>") && !html.contains(" style="))
            for file in ["app.js", "api.js", "i18n.js", "views.js"] {
                let asset = try await server.get("/console/\(file)", token: nil)
                #expect(asset.status == 200 && asset.headers["content-type"]?.hasPrefix("text/javascript") == true)
            }
            #expect(try await server.get("/console/app.css", token: nil).headers["content-type"]?.hasPrefix("text/css") == true)
            #expect(try await server.get("/console/secret.js", token: nil).status == 404)
        }
    }
}

extension Int {
    var int64: Int64 { Int64(self) }
}
