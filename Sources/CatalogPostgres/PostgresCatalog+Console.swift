import Catalog
import Foundation
import PostgresNIO

// MARK: - Console sessions and event reviews

/// Sessions live in the shared catalog, so that every `serve` process behind one proxy accepts a sign-in made
/// through any of them, and a revoked user loses every session at once.
extension PostgresCatalog {
    public func createSession(idHash: String, userName: String, csrfToken: String, created: Date, expires: Date) async throws {
        try await call {
            // One statement: the session is stored only if the user is active at that instant.
            let inserted = try await rows("""
                INSERT INTO console_session (id_hash, user_name, csrf_token, created_ms, expires_ms)
                SELECT \(idHash), name, \(csrfToken), \(Self.millis(created)), \(Self.millis(expires))
                FROM app_user WHERE name = \(userName) AND revoked_ms IS NULL
                RETURNING id_hash
                """)
            if inserted.isEmpty { throw CatalogError(.constraint, "no active user named '\(userName)'") }
        }
    }

    public func session(idHash: String, at time: Date) async throws -> ConsoleSession? {
        try await call {
            try await rows("""
                SELECT u.*, s.csrf_token, s.created_ms AS session_created_ms, s.expires_ms
                FROM console_session s JOIN app_user u ON u.name = s.user_name
                WHERE s.id_hash = \(idHash) AND s.expires_ms > \(Self.millis(time)) AND u.revoked_ms IS NULL
                """).first.map { row in
                ConsoleSession(user: try Self.user(from: row), csrfToken: try row.get("csrf_token"),
                               created: Self.date(try row.get("session_created_ms")), expires: Self.date(try row.get("expires_ms")))
            }
        }
    }

    @discardableResult
    public func deleteSession(idHash: String) async throws -> Bool {
        try await call { try await !rows("DELETE FROM console_session WHERE id_hash = \(idHash) RETURNING id_hash").isEmpty }
    }

    @discardableResult
    public func deleteExpiredSessions(before time: Date) async throws -> Int {
        try await call {
            try await rows("DELETE FROM console_session WHERE expires_ms <= \(Self.millis(time)) RETURNING id_hash").count
        }
    }

    public func saveReview(_ review: EventReview) async throws {
        try await call {
            // The event must exist: the statement stores nothing otherwise, and the caller hears why.
            let stored = try await rows("""
                INSERT INTO event_review (event_id, user_name, reviewed, note, updated_ms)
                SELECT id, \(review.user), \(review.reviewed), \(review.note), \(Self.millis(review.updated))
                FROM event WHERE id = \(review.eventID)
                ON CONFLICT (event_id, user_name) DO UPDATE SET reviewed = excluded.reviewed, note = excluded.note,
                    updated_ms = excluded.updated_ms
                RETURNING event_id
                """)
            if stored.isEmpty { throw CatalogError(.constraint, "no event \(review.eventID)") }
        }
    }

    public func reviews(user: String, eventIDs: [Int64]) async throws -> [EventReview] {
        guard !eventIDs.isEmpty else { return [] }
        return try await call {
            try await rows("""
                SELECT * FROM event_review WHERE user_name = \(user) AND event_id = ANY(\(eventIDs)) ORDER BY event_id
                """).map { row in
                EventReview(eventID: try row.get("event_id"), user: try row.get("user_name"), reviewed: try row.get("reviewed"),
                            note: try row.get("note"), updated: Self.date(try row.get("updated_ms")))
            }
        }
    }
}
