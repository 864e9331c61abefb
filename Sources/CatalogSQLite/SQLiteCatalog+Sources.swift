import Catalog
import Foundation
import GRDB

// MARK: - Source integrity: the full-file hash stored at index time, and files found changed since

extension SQLiteCatalog {
    /// v12: each recording's full-file SHA-256 (NULL for recordings indexed before), why its file no longer
    /// matches (set by exports and clips), and the daemon's count of crashes while holding a file.
    static func addSourceIntegritySchema(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE recording ADD COLUMN sha256 TEXT;
            ALTER TABLE recording ADD COLUMN source_problem TEXT;
            ALTER TABLE source_file ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
            """)
    }

    public func recordSourceProblem(recordingID: Int64, problem: String?, alerts: [NewAlert]) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE recording SET source_problem = ? WHERE id = ?", arguments: [problem, recordingID])
            try Self.queue(db, alerts)
        }
    }

    /// "recording 12: …" for each recording of each camera whose file was found changed.
    static func sourceProblems(_ db: Database) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT camera_id, id, source_problem FROM recording WHERE source_problem IS NOT NULL ORDER BY id
            """) {
            let id: Int64 = row["id"], problem: String = row["source_problem"]
            result[row["camera_id"], default: []].append("recording \(id): \(problem)")
        }
        return result
    }
}

// MARK: - The audit trail's head, for checkpoints

extension SQLiteCatalog {
    public func latestAuditEntry() async throws -> AuditEntry? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit ORDER BY sequence DESC LIMIT 1").map {
                AuditEntry(sequence: $0["sequence"], time: Self.date($0["time_ms"]), actor: $0["actor"], action: $0["action"],
                           query: $0["query"], resultCount: $0["result_count"], client: $0["client"],
                           previousHash: $0["previous_hash"], hash: $0["hash"])
            }
        }
    }
}

// MARK: - Files that crashed the daemon

extension SQLiteCatalog {
    public func recoverCrashedWork(quarantineAfter maxCrashes: Int, alerts: @escaping @Sendable (SourceFile) -> [NewAlert])
        async throws -> RecoveredWork {
        try await write { db in
            var result = RecoveredWork(resumed: [], quarantined: [])
            let now = Self.millis(Date())
            for row in try Row.fetchAll(db, sql: "SELECT * FROM source_file WHERE state = 'indexing' ORDER BY path") {
                let crashes: Int = row["crashes"] + 1
                var file = SourceFile(path: row["path"], camera: row["camera_id"], sizeBytes: row["size_bytes"],
                                      modified: Self.date(row["modified_ms"]), state: .pending, reason: row["reason"],
                                      attempts: max(0, row["attempts"] - 1), recordingID: row["recording_id"])
                    .counting(crashes: crashes)
                // The interrupted attempt never finished, so it does not count as a failed attempt; the crash does.
                if crashes >= maxCrashes {
                    file.state = .failed
                    file.reason = RecoveredWork.quarantineReason(crashes: crashes)
                    result.quarantined.append(file)
                    try Self.queue(db, alerts(file))
                } else {
                    result.resumed.append(file)
                }
                try db.execute(sql: """
                    UPDATE source_file SET state = ?, reason = ?, attempts = ?, crashes = ?, updated_ms = ? WHERE path = ?
                    """, arguments: [file.state.rawValue, file.reason, file.attempts, crashes, now, file.path])
            }
            return result
        }
    }
}

// MARK: - A file that grew at its path replaces its first part's recording

extension SQLiteCatalog {
    /// The camera's recording of the same path that `new` grew from (`GrownRecording.replaces`), newest first.
    static func grownRecording(_ db: Database, _ new: NewRecording) throws -> Recording? {
        try Row.fetchAll(db, sql: "SELECT * FROM recording WHERE path = ? AND camera_id = ? ORDER BY id DESC",
                         arguments: [new.path, new.camera])
            .map(recording(from:)).first { GrownRecording.replaces($0, with: new) }
    }

    static func events(_ db: Database, recordingID: Int64) throws -> [MotionEvent] {
        try Row.fetchAll(db, sql: "SELECT \(eventColumns()) FROM event WHERE recording_id = ? ORDER BY start_ms, id",
                         arguments: [recordingID]).map(event(from:))
    }

    /// Removes the replaced recording: events the new file did not continue are deleted (held ones move to the new
    /// recording, as holds are never lifted), the daemon's file record points at the new recording.
    static func retire(_ db: Database, _ old: Recording, leftovers: [MotionEvent], into recordingID: Int64) throws {
        for event in leftovers {
            let held = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM legal_hold WHERE event_id = ?)",
                                         arguments: [event.id]) ?? false
            if held {
                try db.execute(sql: "UPDATE event SET recording_id = ? WHERE id = ?", arguments: [recordingID, event.id])
            } else {
                try db.execute(sql: "DELETE FROM event WHERE id = ?", arguments: [event.id])
            }
        }
        try db.execute(sql: "UPDATE source_file SET recording_id = ? WHERE recording_id = ?", arguments: [recordingID, old.id])
        try db.execute(sql: "DELETE FROM recording WHERE id = ?", arguments: [old.id])
    }
}
