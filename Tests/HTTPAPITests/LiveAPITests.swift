import Access
import Catalog
import Foundation
import GRDB
import HummingbirdTesting
import Testing
import TestSupport

/// The API on a real loopback socket (HummingbirdTesting's `.live`): what only a socket shows, such
/// as the client address in the audit trail. Scripts/test.sh runs the live suites after the
/// decoding-heavy ones.
@Suite("HTTP API on a live loopback server")
struct LiveAPITests {
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder, .live) { server in try await body(server, tokens) }
    }

    @Test("searches, views and stills are audited with user and client address (live loopback); verify catches an edit")
    func audit() async throws {
        try await withServer { server, tokens in
            _ = try await server.get("/api/v1/events?street=nguyen%20trai&limit=3", token: tokens.viewer)
            _ = try await server.get("/api/v1/events/1", token: tokens.viewer)
            _ = try await server.get("/api/v1/events/1/still.jpg", token: tokens.benThanhViewer)
            _ = try await server.get("/api/v1/events?camera=CAM03", token: tokens.benThanhViewer)
            _ = try await server.get("/api/v1/events", token: nil)
            let entries = try await server.catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(entries.map(\.action) == ["search", "view", "still", "search.denied"])
            #expect(entries.map(\.actor) == ["an", "an", "binh", "binh"])
            #expect(entries.allSatisfy { $0.client == "127.0.0.1" || $0.client == "::1" }, "\(entries.map(\.client))")
            #expect(entries[0].query == "/api/v1/events?street=nguyen%20trai&limit=3" && entries[0].resultCount == 3)
            #expect(AuditChain.firstProblem(in: entries) == nil)

            let queue = try DatabaseQueue(path: server.catalog.path)
            try await queue.write { db in
                try db.execute(sql: "DROP TRIGGER audit_no_update")
                try db.execute(sql: "UPDATE audit SET query = '/api/v1/events' WHERE sequence = 1")
            }
            try queue.close()
            let edited = try await server.catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(AuditChain.firstProblem(in: edited)?.hasPrefix("entry 1: edited") == true)
        }
    }}
