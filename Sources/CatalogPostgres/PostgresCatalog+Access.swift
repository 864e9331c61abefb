import Catalog
import Foundation
import PostgresNIO

// MARK: - Users, the audit trail, custody and legal holds

extension PostgresCatalog {
    public func addUser(_ user: User, tokenHash: String) async throws(CatalogError) {
        try await call {
            let inserted = try await rows("""
                INSERT INTO app_user (name, role, ward, token_hash, created_ms, revoked_ms)
                VALUES (\(user.name), \(user.role.rawValue), \(user.ward), \(tokenHash), \(Self.millis(user.created)), NULL)
                ON CONFLICT (name) DO NOTHING
                RETURNING name
                """)
            if inserted.isEmpty {
                throw CatalogError(.constraint, "a user named '\(user.name)' exists already (revoke it or pick another name)")
            }
        }
    }

    public func users() async throws(CatalogError) -> [User] {
        try await call { try await rows("SELECT * FROM app_user ORDER BY name").map(Self.user(from:)) }
    }

    public func revokeUser(name: String) async throws(CatalogError) -> Bool {
        try await call {
            try await !rows("""
                UPDATE app_user SET revoked_ms = \(Self.now) WHERE name = \(name) AND revoked_ms IS NULL RETURNING name
                """).isEmpty
        }
    }

    public func user(tokenHash: String) async throws(CatalogError) -> User? {
        try await call {
            try await rows("SELECT * FROM app_user WHERE token_hash = \(tokenHash) AND revoked_ms IS NULL").first.map(Self.user(from:))
        }
    }

    /// Appends entries to the audit chain. Every API server appends to the same chain: a transaction-scoped advisory
    /// lock makes appends take turns, so each entry chains to the one committed just before it.
    @discardableResult
    public func appendAudit(_ entries: [NewAuditEntry], hash: @escaping @Sendable (String) -> String) async throws(CatalogError) -> [AuditEntry] {
        guard !entries.isEmpty else { return [] }
        return try await call {
            try await transaction { connection in try await appendAudit(entries, hash: hash, on: connection) }
        }
    }

    /// Appends audit entries inside the caller's transaction (taking the audit lock until it ends), so
    /// a change and its record commit together.
    func appendAudit(_ entries: [NewAuditEntry], hash: @Sendable (String) -> String, on connection: PostgresConnection)
        async throws -> [AuditEntry]
    {
        try await execute("SELECT pg_advisory_xact_lock(\(LockKey.audit.rawValue))", on: connection)
        let last = try await rows("SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1", on: connection).first
            .map { (sequence: try $0.get("sequence", as: Int64.self), hash: try $0.get("hash", as: String.self)) }
        let appended = AuditEntry.chained(entries, after: last, time: Date(), hash: hash)
        for entry in appended {
            try await execute("""
                INSERT INTO audit (sequence, time_ms, actor, action, query, result_count, client, previous_hash, hash)
                VALUES (\(entry.sequence), \(Self.millis(entry.time)), \(entry.actor), \(entry.action), \(entry.query),
                    \(entry.resultCount), \(entry.client), \(entry.previousHash), \(entry.hash))
                """, on: connection)
        }
        return appended
    }

    public func auditEntries(actor: String?, action: String?, from: Date?, to: Date?) async throws(CatalogError) -> [AuditEntry] {
        try await call {
            try await rows("""
                SELECT * FROM audit
                WHERE (\(actor)::text IS NULL OR actor = \(actor)) AND (\(action)::text IS NULL OR action = \(action))
                    AND (\(from.map(Self.millis))::bigint IS NULL OR time_ms >= \(from.map(Self.millis)))
                    AND (\(to.map(Self.millis))::bigint IS NULL OR time_ms < \(to.map(Self.millis)))
                ORDER BY sequence
                """).map(Self.auditEntry(from:))
        }
    }

    static func auditEntry(from row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(sequence: try row.get("sequence"), time: date(try row.get("time_ms")), actor: try row.get("actor"),
                   action: try row.get("action"), query: try row.get("query"), resultCount: try row.get("result_count"),
                   client: try row.get("client"), previousHash: try row.get("previous_hash"), hash: try row.get("hash"))
    }

    static func user(from row: PostgresRandomAccessRow) throws -> User {
        User(name: try row.get("name"), role: AccessRole(rawValue: try row.get("role")) ?? .viewer, ward: try row.get("ward"),
             created: date(try row.get("created_ms")), revoked: try row.get("revoked_ms", as: Int64?.self).map(date))
    }

    // MARK: - Evidence custody and legal holds

    @discardableResult
    public func addCustodyRecord(_ new: NewCustodyRecord, holding eventIDs: [Int64], auditing: AuditedChange?) async throws(CatalogError)
        -> CustodyRecord
    {
        let name = settings.displayName
        return try await call {
            try await transaction { connection in
                let time = Self.millis(new.time)
                let id = try await rows("""
                    INSERT INTO custody (time_ms, case_id, action, actor, recipient, reason, bundle_path, manifest_sha256, event_ids)
                    VALUES (\(time), \(new.caseID), \(new.action.rawValue), \(new.actor), \(new.recipient), \(new.reason),
                        \(new.bundlePath), \(new.manifestSHA256), \(new.eventIDs.map(String.init).joined(separator: ",")))
                    RETURNING id
                    """, on: connection)[0].get("id", as: Int64.self)
                for eventID in eventIDs {
                    guard try await !rows("SELECT 1 FROM event WHERE id = \(eventID)", on: connection).isEmpty else {
                        throw CatalogError(.constraint, "catalog '\(name)': no event \(eventID) to put on legal hold")
                    }
                    try await execute("""
                        INSERT INTO legal_hold (event_id, case_id, placed_ms, custody_id) VALUES (\(eventID), \(new.caseID), \(time), \(id))
                        ON CONFLICT DO NOTHING
                        """, on: connection)
                }
                if let auditing { _ = try await appendAudit([auditing.entry], hash: auditing.hash, on: connection) }
                return CustodyRecord(id: id, time: Self.date(time), caseID: new.caseID, action: new.action, actor: new.actor,
                                     recipient: new.recipient, reason: new.reason, bundlePath: new.bundlePath,
                                     manifestSHA256: new.manifestSHA256, eventIDs: new.eventIDs)
            }
        }
    }

    public func custodyRecords(caseID: String?) async throws(CatalogError) -> [CustodyRecord] {
        try await call {
            try await rows("SELECT * FROM custody WHERE \(caseID)::text IS NULL OR case_id = \(caseID) ORDER BY id").map { row in
                let ids = try row.get("event_ids", as: String.self)
                return CustodyRecord(
                    id: try row.get("id"), time: Self.date(try row.get("time_ms")), caseID: try row.get("case_id"),
                    action: CustodyAction(rawValue: try row.get("action")) ?? .handoff, actor: try row.get("actor"),
                    recipient: try row.get("recipient"), reason: try row.get("reason"), bundlePath: try row.get("bundle_path"),
                    manifestSHA256: try row.get("manifest_sha256"), eventIDs: ids.split(separator: ",").compactMap { Int64($0) })
            }
        }
    }

    public func isOnLegalHold(eventID: Int64) async throws(CatalogError) -> Bool {
        try await call { try await !rows("SELECT 1 FROM legal_hold WHERE event_id = \(eventID) LIMIT 1").isEmpty }
    }

    public func legalHolds(caseID: String?) async throws(CatalogError) -> [LegalHold] {
        try await call {
            try await rows("""
                SELECT * FROM legal_hold WHERE \(caseID)::text IS NULL OR case_id = \(caseID) ORDER BY event_id, case_id
                """).map {
                LegalHold(eventID: try $0.get("event_id"), caseID: try $0.get("case_id"), placed: Self.date(try $0.get("placed_ms")),
                          custodyID: try $0.get("custody_id"))
            }
        }
    }

    // MARK: - Stills

    /// Stores an event's still (JPEG bytes) under its name, so that every API server can serve it.
    public func saveStill(name: String, data: Data) async throws(CatalogError) {
        try await call {
            try await rows("""
                INSERT INTO still (name, data, created_ms) VALUES (\(name), \(ByteBuffer(bytes: data)), \(Self.now))
                ON CONFLICT (name) DO UPDATE SET data = excluded.data
                """)
        }
    }

    /// The still stored under `name`, if any.
    public func still(name: String) async throws(CatalogError) -> Data? {
        try await call {
            try await rows("SELECT data FROM still WHERE name = \(name)").first.map {
                let buffer = try $0.get("data", as: ByteBuffer.self)
                return Data(buffer.readableBytesView)
            }
        }
    }
}
