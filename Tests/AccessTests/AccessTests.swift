import Access
import Catalog
import CatalogSQLite
import Foundation
import GRDB
import Testing

struct Scratch {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    var catalogPath: String { folder.appendingPathComponent("c.sqlite").path }
    func remove() { try? FileManager.default.removeItem(at: folder) }
}

@Suite("Access tokens")
struct AccessTokenTests {
    @Test("tokens are random, stored only as hashes, and stop working when revoked")
    func tokens() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let catalog = try SQLiteCatalog(path: scratch.catalogPath)
        let token = AccessTokens.generate()
        #expect(token.hasPrefix("ww_") && token.count == 46 && token != AccessTokens.generate())
        try await catalog.addUser(User(name: "lan", role: .viewer, ward: "Phường Hàng Trống", created: Date(), revoked: nil),
                            tokenHash: AccessTokens.hash(token))
        #expect(try await catalog.user(tokenHash: AccessTokens.hash(token))?.ward == "Phường Hàng Trống")
        #expect(try await catalog.user(tokenHash: AccessTokens.hash(token + "x")) == nil)
        // The token itself is nowhere in the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.catalogPath))
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        await #expect(throws: CatalogError.self) {
            try await catalog.addUser(User(name: "lan", role: .admin, ward: nil, created: Date(), revoked: nil), tokenHash: "x")
        }
        #expect(try await catalog.revokeUser(name: "lan"))
        #expect(try await catalog.user(tokenHash: AccessTokens.hash(token)) == nil)
        #expect(try await !catalog.revokeUser(name: "lan"))
        #expect(AccessRole.viewer < .investigator && AccessRole.investigator < .admin)
    }
}

@Suite("Audit trail", .serialized)
struct AuditTrailTests {
    func trail() async throws -> (Scratch, SQLiteCatalog) {
        let scratch = try Scratch()
        let catalog = try SQLiteCatalog(path: scratch.catalogPath)
        for index in 1...5 {
            try await catalog.appendAudit(NewAuditEntry(actor: "lan", action: "search", query: "street=hang trong&page=\(index)",
                                                  resultCount: index, client: "127.0.0.1"), hash: sha256Hex)
        }
        return (scratch, catalog)
    }

    func problem(_ catalog: SQLiteCatalog) async throws -> String? {
        await AuditChain.firstProblem(in: try catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil))
    }

    /// Tampering as someone with write access to the file would: triggers dropped first.
    func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
            try db.execute(sql: sql)
        }
    }

    @Test("an intact trail verifies; the application cannot edit or delete entries")
    func intact() async throws {
        let (scratch, catalog) = try await trail()
        defer { scratch.remove() }
        #expect(try await problem(catalog) == nil)
        let queue = try DatabaseQueue(path: scratch.catalogPath)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit WHERE sequence = 2") } }
    }

    @Test("verify names the first edited, removed or reordered entry", arguments: [
        ("UPDATE audit SET result_count = 99 WHERE sequence = 3", "entry 3: edited"),
        ("UPDATE audit SET actor = 'someone else' WHERE sequence = 1", "entry 1: edited"),
        ("DELETE FROM audit WHERE sequence = 2", "entry 2: missing"),
        ("DELETE FROM audit WHERE sequence = 5", nil),
        ("UPDATE audit SET sequence = sequence + 10 WHERE sequence = 4; UPDATE audit SET sequence = 4 WHERE sequence = 5; UPDATE audit SET sequence = 5 WHERE sequence = 14", "entry 4"),
    ])
    func tampering(sql: String, expected: String?) async throws {
        let (scratch, catalog) = try await trail()
        defer { scratch.remove() }
        try tamper(scratch.catalogPath, sql)
        let found = try await problem(catalog)
        if let expected {
            #expect(found?.hasPrefix(expected) == true, "\(found ?? "no problem found")")
        } else {
            // Removing the newest entry leaves a valid shorter chain: the count shows it, the chain cannot.
            #expect(found == nil)
        }
    }
}
