import Catalog
import Foundation
import GRDB

extension SQLiteCatalog {
    public func retentionCandidates(camera: String, before cutoff: Date) async throws -> RetentionCandidates {
        let cut = Self.millis(cutoff)
        return try await read { db in
            let events = try Row.fetchAll(db, sql: """
                SELECT e.id, e.recording_id, e.still,
                       EXISTS (SELECT 1 FROM legal_hold h WHERE h.event_id = e.id) AS held
                FROM event e WHERE e.camera_id = ? AND e.end_ms < ? ORDER BY e.id
                """, arguments: [camera, cut]).map { row in
                RetentionCandidates.Event(id: row["id"], recordingID: row["recording_id"], still: row["still"], held: row["held"])
            }
            let ids = try Row.fetchAll(db, sql: """
                SELECT r.id, EXISTS (SELECT 1 FROM legal_hold h JOIN event e ON e.id = h.event_id WHERE e.recording_id = r.id) AS held
                FROM recording r WHERE r.camera_id = ? AND r.start_ms + CAST(r.duration_s * 1000 AS INTEGER) < ? ORDER BY r.id
                """, arguments: [camera, cut])
            var recordings: [RetentionCandidates.ExpiredRecording] = []
            for row in ids {
                let id: Int64 = row["id"]
                guard let recording = try Row.fetchOne(db, sql: "SELECT * FROM recording WHERE id = ?", arguments: [id])
                    .map(Self.recording(from:)) else { continue }
                recordings.append(.init(recording: recording, hasHeldEvents: row["held"]))
            }
            return RetentionCandidates(events: events, recordings: recordings)
        }
    }

    public func applyRetention(_ plan: RetentionPlan, audit: [NewAuditEntry], hash: @escaping @Sendable (String) -> String) async throws
        -> [AuditEntry]
    {
        try await write { db in
            func remaining(_ table: String, _ ids: [Int64]) throws -> Int {
                guard !ids.isEmpty else { return 0 }
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE id IN (\(marks))",
                                        arguments: StatementArguments(ids)) ?? 0
            }
            // Another process applied this pass first: nothing left to remove or audit.
            guard try remaining("event", plan.events.map(\.id)) == plan.events.count,
                  try remaining("recording", plan.recordings.map(\.id)) == plan.recordings.count else { return [] }
            for event in plan.events {
                try db.execute(sql: "DELETE FROM event WHERE id = ?", arguments: [event.id])
            }
            for recording in plan.recordings {
                // The daemon's file record stays (so the file is not indexed again), without the row.
                try db.execute(sql: "UPDATE source_file SET recording_id = NULL WHERE recording_id = ?", arguments: [recording.id])
                try db.execute(sql: "DELETE FROM recording WHERE id = ?", arguments: [recording.id])
            }
            return try Self.appendAudit(db, audit, hash: hash)
        }
    }
}
