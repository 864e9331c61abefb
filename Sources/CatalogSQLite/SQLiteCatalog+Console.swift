import Catalog
import Foundation
import GRDB

/// Console sessions and per-user event reviews.
extension SQLiteCatalog {
    static func createConsoleSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE console_session (
                id_hash TEXT PRIMARY KEY NOT NULL,
                user_name TEXT NOT NULL REFERENCES app_user(name),
                csrf_token TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                expires_ms INTEGER NOT NULL
            );
            CREATE INDEX console_session_expiry ON console_session(expires_ms);
            CREATE TABLE event_review (
                event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
                user_name TEXT NOT NULL,
                reviewed INTEGER NOT NULL,
                note TEXT NOT NULL,
                updated_ms INTEGER NOT NULL,
                PRIMARY KEY (event_id, user_name)
            );
            """)
    }

    public func createSession(idHash: String, userName: String, csrfToken: String, created: Date, expires: Date) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM app_user WHERE name = ? AND revoked_ms IS NULL",
                                    arguments: [userName]) == true else {
                throw CatalogError(.constraint, "no active user named '\(userName)'")
            }
            try db.execute(sql: """
                INSERT INTO console_session (id_hash, user_name, csrf_token, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)
                """, arguments: [idHash, userName, csrfToken, Self.millis(created), Self.millis(expires)])
        }
    }

    public func session(idHash: String, at time: Date) async throws -> ConsoleSession? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.*, s.csrf_token, s.created_ms AS session_created_ms, s.expires_ms
                FROM console_session s JOIN app_user u ON u.name = s.user_name
                WHERE s.id_hash = ? AND s.expires_ms > ? AND u.revoked_ms IS NULL
                """, arguments: [idHash, Self.millis(time)]) else { return nil }
            return ConsoleSession(user: Self.user(from: row), csrfToken: row["csrf_token"],
                                  created: Self.date(row["session_created_ms"]), expires: Self.date(row["expires_ms"]))
        }
    }

    @discardableResult
    public func deleteSession(idHash: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM console_session WHERE id_hash = ?", arguments: [idHash])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func deleteExpiredSessions(before time: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM console_session WHERE expires_ms <= ?", arguments: [Self.millis(time)])
            return db.changesCount
        }
    }

    public func saveReview(_ review: EventReview) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM event WHERE id = ?", arguments: [review.eventID]) == true else {
                throw CatalogError(.constraint, "no event \(review.eventID)")
            }
            try db.execute(sql: """
                INSERT INTO event_review (event_id, user_name, reviewed, note, updated_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (event_id, user_name) DO UPDATE SET reviewed = excluded.reviewed, note = excluded.note,
                    updated_ms = excluded.updated_ms
                """, arguments: [review.eventID, review.user, review.reviewed, review.note, Self.millis(review.updated)])
        }
    }

    public func reviews(user: String, eventIDs: [Int64]) async throws -> [EventReview] {
        guard !eventIDs.isEmpty else { return [] }
        return try await read { db in
            let marks = Array(repeating: "?", count: eventIDs.count).joined(separator: ",")
            var arguments: StatementArguments = [user]
            arguments += StatementArguments(eventIDs)
            return try Row.fetchAll(db, sql: """
                SELECT * FROM event_review WHERE user_name = ? AND event_id IN (\(marks)) ORDER BY event_id
                """, arguments: arguments).map {
                EventReview(eventID: $0["event_id"], user: $0["user_name"], reviewed: $0["reviewed"], note: $0["note"],
                            updated: Self.date($0["updated_ms"]))
            }
        }
    }
}
