import Catalog
import Foundation
import PostgresNIO

// MARK: - Source integrity: the full-file hash stored at index time, and files found changed since

extension PostgresCatalog {
    /// Version 6, the SQLite catalog's "v12-source-sha256": each recording's full-file SHA-256 (NULL for
    /// recordings indexed before), why its file no longer matches, and the daemon's crash count per file.
    static let sourceIntegrityMigration = Migration(version: 6, name: "source sha256, source problems, crash counts", statements: [
        "ALTER TABLE recording ADD COLUMN sha256 text",
        "ALTER TABLE recording ADD COLUMN source_problem text",
        "ALTER TABLE source_file ADD COLUMN crashes integer NOT NULL DEFAULT 0",
    ])

    /// Every schema version this WardWatch knows, in order (versions may be missing in between).
    public static var knownSchemaVersions: [Int] { migrations.map(\.version) }

    public func recordSourceProblem(recordingID: Int64, problem: String?, alerts: [NewAlert]) async throws(CatalogError) {
        try await call {
            try await transaction { connection in
                try await execute("UPDATE recording SET source_problem = \(problem) WHERE id = \(recordingID)", on: connection)
                try await Self.queue(connection, self, alerts)
            }
        }
    }

    /// "recording 12: …" for each recording of each camera whose file was found changed.
    func sourceProblems() async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for row in try await rows("""
            SELECT camera_id, id, source_problem FROM recording WHERE source_problem IS NOT NULL ORDER BY id
            """) {
            let id = try row.get("id", as: Int64.self), problem = try row.get("source_problem", as: String.self)
            result[try row.get("camera_id", as: String.self), default: []].append("recording \(id): \(problem)")
        }
        return result
    }
}

// MARK: - The audit trail's head, for checkpoints

extension PostgresCatalog {
    public func latestAuditEntry() async throws(CatalogError) -> AuditEntry? {
        try await call { try await rows("SELECT * FROM audit ORDER BY sequence DESC LIMIT 1").first.map(Self.auditEntry(from:)) }
    }
}

// MARK: - Files that crashed the daemon

extension PostgresCatalog {
    /// This node's claims, unowned ones and claims whose lease ran out (their node died): each crash is counted.
    public func recoverCrashedWork(quarantineAfter maxCrashes: Int, alerts: @escaping @Sendable (SourceFile) -> [NewAlert])
        async throws(CatalogError) -> RecoveredWork {
        let node = settings.nodeID
        return try await call {
            try await transaction { connection in
                var result = RecoveredWork(resumed: [], quarantined: [])
                let now = Self.now
                let held = try await rows("""
                    SELECT * FROM source_file
                    WHERE state = 'indexing' AND (claimed_by = \(node) OR claimed_by IS NULL OR lease_until_ms < \(now))
                    ORDER BY path
                    FOR UPDATE SKIP LOCKED
                    """, on: connection)
                for row in held {
                    let crashes = try row.get("crashes", as: Int.self) + 1
                    var file = SourceFile(path: local(try row.get("path")), camera: try row.get("camera_id"), sizeBytes: try row.get("size_bytes"),
                                          modified: Self.date(try row.get("modified_ms")), state: .pending, reason: try row.get("reason"),
                                          attempts: max(0, try row.get("attempts", as: Int.self) - 1),
                                          recordingID: try row.get("recording_id")).counting(crashes: crashes)
                    if crashes >= maxCrashes {
                        file.state = .failed
                        file.reason = RecoveredWork.quarantineReason(crashes: crashes)
                        result.quarantined.append(file)
                        try await Self.queue(connection, self, alerts(file))
                    } else {
                        result.resumed.append(file)
                    }
                    try await execute("""
                        UPDATE source_file SET state = \(file.state.rawValue), reason = \(file.reason), attempts = \(file.attempts),
                            crashes = \(crashes), updated_ms = \(now), claimed_by = NULL, lease_until_ms = NULL
                        WHERE path = \(stored(file.path))
                        """, on: connection)
                }
                return result
            }
        }
    }
}

// MARK: - A file that grew at its path replaces its first part's recording

extension PostgresCatalog {
    /// The camera's recording of the same path that `new` grew from (`GrownRecording.replaces`), newest first.
    func grownRecording(_ new: NewRecording, on connection: PostgresConnection) async throws -> Recording? {
        try await rows("""
            SELECT * FROM recording WHERE path = \(stored(new.path)) AND camera_id = \(new.camera) ORDER BY id DESC FOR UPDATE
            """, on: connection).map(recording(from:)).first { GrownRecording.replaces($0, with: new) }
    }

    func events(recordingID: Int64, on connection: PostgresConnection) async throws -> [MotionEvent] {
        try await rows("""
            SELECT \(unescaped: Self.eventColumns()) FROM event WHERE recording_id = \(recordingID) ORDER BY start_ms, id
            """, on: connection).map(Self.event(from:))
    }

    /// Removes the replaced recording: events the new file did not continue are deleted (held ones move to the new
    /// recording), the daemon's file record points at the new recording.
    func retire(_ old: Recording, leftovers: [MotionEvent], into recordingID: Int64, on connection: PostgresConnection) async throws {
        for event in leftovers {
            let held = try await rows("SELECT 1 FROM legal_hold WHERE event_id = \(event.id) LIMIT 1", on: connection).first != nil
            if held {
                try await execute("UPDATE event SET recording_id = \(recordingID) WHERE id = \(event.id)", on: connection)
            } else {
                try await execute("DELETE FROM event WHERE id = \(event.id)", on: connection)
            }
        }
        try await execute("UPDATE source_file SET recording_id = \(recordingID) WHERE recording_id = \(old.id)", on: connection)
        try await execute("DELETE FROM recording WHERE id = \(old.id)", on: connection)
    }
}
