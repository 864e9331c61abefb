import Catalog
import Foundation
import PostgresNIO

// MARK: - Retention

/// Every indexer node runs retention over the same catalog. Removal takes a transaction-scoped lock and only
/// applies a plan whose rows are all still there, so two nodes that planned the same pass remove (and audit)
/// it once. Stills live in the catalog here, so an event's still row goes with it.
extension PostgresCatalog {
    public func retentionCandidates(camera: String, before cutoff: Date) async throws -> RetentionCandidates {
        let cut = Self.millis(cutoff)
        return try await call {
            let events = try await rows("""
                SELECT e.id, e.recording_id, e.still,
                       EXISTS (SELECT 1 FROM legal_hold h WHERE h.event_id = e.id) AS held
                FROM event e WHERE e.camera_id = \(camera) AND e.end_ms < \(cut) ORDER BY e.id
                """).map { row in
                RetentionCandidates.Event(id: try row.get("id"), recordingID: try row.get("recording_id"),
                                          still: try row.get("still", as: String?.self), held: try row.get("held"))
            }
            let recordings = try await rows("""
                SELECT r.*, EXISTS (SELECT 1 FROM legal_hold h JOIN event e ON e.id = h.event_id WHERE e.recording_id = r.id)
                    AS has_held_events
                FROM recording r
                WHERE r.camera_id = \(camera) AND r.start_ms + CAST(r.duration_s * 1000 AS bigint) < \(cut) ORDER BY r.id
                """).map { row in
                RetentionCandidates.ExpiredRecording(recording: try recording(from: row),
                                                     hasHeldEvents: try row.get("has_held_events"))
            }
            return RetentionCandidates(events: events, recordings: recordings)
        }
    }

    public func applyRetention(_ plan: RetentionPlan, audit: [NewAuditEntry], hash: @escaping @Sendable (String) -> String) async throws
        -> [AuditEntry]
    {
        let eventIDs = plan.events.map(\.id), recordingIDs = plan.recordings.map(\.id)
        let stills = plan.events.compactMap(\.still)
        return try await call {
            try await transaction { connection in
                try await execute("SELECT pg_advisory_xact_lock(\(LockKey.retention.rawValue))", on: connection)
                let events = try await rows("SELECT count(*) AS n FROM event WHERE id = ANY(\(eventIDs))", on: connection)[0]
                    .get("n", as: Int.self)
                let recordings = try await rows("SELECT count(*) AS n FROM recording WHERE id = ANY(\(recordingIDs))", on: connection)[0]
                    .get("n", as: Int.self)
                // Another node applied this pass first: nothing left to remove or audit.
                guard events == eventIDs.count, recordings == recordingIDs.count else { return [] }
                try await execute("DELETE FROM event WHERE id = ANY(\(eventIDs))", on: connection)
                try await execute("DELETE FROM still WHERE name = ANY(\(stills))", on: connection)
                // The daemon's file record stays (so the file is not indexed again), without the row.
                try await execute("UPDATE source_file SET recording_id = NULL WHERE recording_id = ANY(\(recordingIDs))", on: connection)
                try await execute("DELETE FROM recording WHERE id = ANY(\(recordingIDs))", on: connection)
                return try await appendAudit(audit, hash: hash, on: connection)
            }
        }
    }
}
