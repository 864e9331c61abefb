import Catalog
import Foundation
import HTTPAPI
import Testing
import TestSupport
import Workflows

/// Issue 15, defect 12 (the HTTP server's side): clips and exports on a bounded pool, the clip cache's
/// size cap, `ETag`/`If-Range`, reports scoped by ward before `limit`, `X-Forwarded-For` from trusted
/// proxies only.
@Suite("HTTP server under load and behind proxies")
struct ServerLoadTests {
    static let sample = SampleRecordings.url("street_1080p_h264.mp4").path

    func withClipServer(_ setup: TestingSetupChoice = .router, settings: @escaping @Sendable (inout WardWorkflows.Settings) -> Void = { _ in },
                        _ body: @Sendable (TestServer, Fixture.Tokens) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog(recordingPath: { _ in Self.sample }, durationSeconds: 60)
        try await TestServer.run(catalog: catalog, folder: folder, setup == .live ? .live : .router, settings: settings) { server in
            try await body(server, tokens)
        }
    }

    enum TestingSetupChoice { case router, live }

    @Test("with every slot taken, a clip is a 503 with Retry-After while token lookups and searches still answer")
    func busy() async throws {
        try await withClipServer(settings: { $0.heavyWorkSlots = 1 }) { server, tokens in
            let pool = try #require(server.workflows?.heavyWork)
            let (held, release) = AsyncStream<Void>.makeStream()
            let (started, signal) = AsyncStream<Void>.makeStream()
            // A long cut stands in the only slot until released.
            let holder = Task {
                try await pool.withSlot {
                    signal.yield()
                    for await _ in held { break }
                }
            }
            for await _ in started { break }
            #expect(pool.busySlots == 1)
            let refused = try await server.get("/api/v1/recordings/1/clip?from=1&to=3", token: tokens.investigator)
            #expect(refused.status == 503 && refused.headers["retry-after"] == "5", "\(String(decoding: refused.body, as: UTF8.self))")
            #expect((refused.object["error"] as? [String: Any])?["code"] as? String == "busy")
            let problems = try OpenAPIValidator().problems(path: "/api/v1/recordings/{id}/clip", status: refused.status,
                                                           contentType: refused.headers["content-type"] ?? "", body: refused.body)
            #expect(problems.isEmpty, "\(problems)")
            // Token lookups, searches and views do not wait for the slot.
            #expect(try await server.get("/api/v1/cameras", token: tokens.viewer).status == 200)
            #expect(try await server.get("/api/v1/events?limit=3", token: tokens.viewer).status == 200)
            #expect(try await server.get("/api/v1/events", token: "ww_unknown").status == 401)
            release.yield()
            try await holder.value
            #expect(pool.busySlots == 0)
            #expect(try await server.get("/api/v1/recordings/1/clip?from=1&to=3", token: tokens.investigator).status == 200)
        }
    }

    @Test("beyond the clip cache's cap the least recently played clips go first; the one just cut stays")
    func cacheCap() async throws {
        // A cap smaller than any clip: only the clip just cut may stay.
        try await withClipServer(settings: { $0.clipCacheMaxBytes = 1 }) { server, tokens in
            let clips = server.folder.path("clips")
            func cached() throws -> [String] {
                try FileManager.default.contentsOfDirectory(atPath: clips).filter { $0.hasPrefix("wwclip-") }.sorted()
            }
            #expect(try await server.get("/api/v1/recordings/1/clip?from=2&to=4", token: tokens.investigator).status == 200)
            let first = try cached()
            #expect(first.count == 2, "\(first)") // the clip and its start file
            #expect(try await server.get("/api/v1/recordings/1/clip?from=20&to=22", token: tokens.investigator).status == 200)
            let second = try cached()
            #expect(second.count == 2 && Set(second).isDisjoint(with: first), "\(first) then \(second)")
            // Played again, the first is cut again and the second goes.
            #expect(try await server.get("/api/v1/recordings/1/clip?from=2&to=4", token: tokens.investigator).status == 200)
            #expect(try cached() == first)
        }
    }

    @Test("clips carry a strong ETag; If-Range with it gets the range, with another tag the whole clip")
    func entityTags() async throws {
        try await withClipServer { server, tokens in
            let url = "/api/v1/recordings/1/clip?from=2&to=4"
            let whole = try await server.get(url, token: tokens.investigator)
            let tag = try #require(whole.headers["etag"])
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && !tag.hasPrefix("W/"))
            #expect(try await server.get(url, token: tokens.investigator).headers["etag"] == tag) // the cached clip, the same tag
            let ranged = try await server.get(url, token: tokens.investigator, headers: ["Range": "bytes=0-99", "If-Range": tag])
            #expect(ranged.status == 206 && ranged.body == whole.body.prefix(100))
            let stale = try await server.get(url, token: tokens.investigator, headers: ["Range": "bytes=0-99", "If-Range": "\"old-cut\""])
            #expect(stale.status == 200 && stale.body == whole.body)
            let past = try await server.get(url, token: tokens.investigator, headers: ["Range": "bytes=\(whole.body.count + 10)-"])
            #expect(past.status == 416 && past.headers["content-range"] == "bytes */\(whole.body.count)")
            #expect((past.object["error"] as? [String: Any])?["code"] as? String == "range_not_satisfiable")
        }
    }

    @Test("a ward-limited token's incidents and tips are scoped before limit: another ward's earlier reports take no places")
    func scopedBeforeLimit() async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder) { server in
            let reports = """
                [{"reference": "INC-0", "category": "trộm cắp", "occurred_at": "2024-07-10 15:30", "uncertainty_min": 1,
                  "address": "số 5 Đinh Lễ", "description": "sớm hơn, phường khác"},
                 {"reference": "INC-00", "category": "trộm cắp", "occurred_at": "2024-07-10 15:31", "uncertainty_min": 1,
                  "address": "số 5 Đinh Lễ", "description": "sớm hơn, phường khác"}]
                """
            #expect(try await server.post("/api/v1/incidents", token: tokens.investigator, json: reports).status == 200)
            #expect(try await server.post("/api/v1/incidents", token: tokens.investigator, json: IncidentEndpointTests.incidents).status == 200)
            let tips = """
                [{"id": "T-0", "channel": "phone", "occurred_at": "2024-07-10 15:30", "location": "số 5 Đinh Lễ"},
                 {"id": "T-00", "channel": "phone", "occurred_at": "2024-07-10 15:31", "location": "số 5 Đinh Lễ"},
                 {"id": "T-1", "channel": "phone", "occurred_at": "2024-07-10 15:33", "location": "ngã tư Nguyễn Trãi – Lê Lợi"}]
                """
            #expect(try await server.post("/api/v1/tips", token: tokens.investigator, json: tips).status == 200)
            let all = try await server.get("/api/v1/incidents", token: tokens.benThanhViewer)
            let own = (all.object["incidents"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }
            #expect(own == ["INC-1"])
            for limit in [1, 2] {
                let page = try await server.get("/api/v1/incidents?limit=\(limit)", token: tokens.benThanhViewer)
                #expect((page.object["incidents"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String } == own)
                let tipPage = try await server.get("/api/v1/tips?limit=\(limit)", token: tokens.benThanhViewer)
                #expect((tipPage.object["tips"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String } == ["T-1"],
                        "\(String(decoding: tipPage.body, as: UTF8.self))")
            }
            // An unlimited token still gets exactly `limit`.
            let unlimited = try await server.get("/api/v1/incidents?limit=2", token: tokens.viewer)
            #expect((unlimited.object["incidents"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("X-Forwarded-For names the client only when the request comes from a trusted proxy (live loopback)")
    func forwardedFor() async throws {
        let proxies = try TrustedProxies(["127.0.0.0/8", "::1", "10.0.0.0/8"])
        for trusted in [true, false] {
            let (folder, catalog, tokens) = try await Fixture.catalog()
            try await TestServer.run(catalog: catalog, folder: folder, .live, configuration: { configuration in
                if trusted { configuration.trustedProxies = proxies }
            }) { server in
                _ = try await server.get("/api/v1/events?limit=1", token: tokens.viewer, headers: ["X-Forwarded-For": "203.0.113.9"])
                // A client's own forged hop, then the proxy chain: the nearest untrusted address counts.
                _ = try await server.get("/api/v1/events?limit=1", token: tokens.viewer, headers: ["X-Forwarded-For": "198.51.100.1, 203.0.113.7, 10.1.2.3"])
                _ = try await server.get("/api/v1/events?limit=1", token: tokens.viewer, headers: ["X-Forwarded-For": "not an address"])
                let clients = try await server.catalog.auditEntries(actor: "an", action: "search", from: nil, to: nil).map(\.client)
                if trusted {
                    #expect(clients.count == 3 && clients[0] == "203.0.113.9" && clients[1] == "203.0.113.7", "\(clients)")
                    #expect(clients[2] == "127.0.0.1" || clients[2] == "::1", "\(clients)")
                } else {
                    #expect(clients.count == 3 && clients.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" }, "\(clients)")
                }
            }
        }
    }
}
