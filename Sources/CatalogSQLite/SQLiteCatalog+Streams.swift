import Catalog
import Foundation
import GRDB

extension SQLiteCatalog {
    /// Recordings learn which stream they belong to; events learn which stream they play from and
    /// which sub-stream recording found them. Triggers keep both event columns in step with the
    /// event's recording, whoever moves it (a commit, a merge across files, an attach).
    static func createStreamsSchema(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE recording ADD COLUMN stream TEXT NOT NULL DEFAULT 'main' CHECK (stream IN ('main', 'sub'));
            ALTER TABLE event ADD COLUMN source_stream TEXT NOT NULL DEFAULT 'main' CHECK (source_stream IN ('main', 'sub'));
            ALTER TABLE event ADD COLUMN detected_recording_id INTEGER REFERENCES recording(id);
            CREATE INDEX recording_camera_stream_start ON recording(camera_id, stream, start_ms);
            CREATE INDEX source_file_unindexed ON source_file(camera_id, modified_ms) WHERE state IN ('pending', 'indexing');
            CREATE TRIGGER event_stream_inserted AFTER INSERT ON event
                WHEN (SELECT stream FROM recording WHERE id = NEW.recording_id) = 'sub'
                BEGIN UPDATE event SET source_stream = 'sub', detected_recording_id = NEW.recording_id WHERE id = NEW.id; END;
            CREATE TRIGGER event_stream_moved AFTER UPDATE OF recording_id ON event
                BEGIN
                    UPDATE event SET
                        source_stream = (SELECT stream FROM recording WHERE id = NEW.recording_id),
                        detected_recording_id = CASE WHEN (SELECT stream FROM recording WHERE id = NEW.recording_id) = 'sub'
                                                     THEN NEW.recording_id ELSE OLD.detected_recording_id END
                    WHERE id = NEW.id;
                END;
            """)
    }

    public func subStreamEvents(camera: String, overlappingFrom from: Date, to: Date) async throws -> [MotionEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.eventColumns()) FROM event
                WHERE camera_id = ? AND source_stream = 'sub' AND start_ms < ? AND end_ms > ?
                ORDER BY start_ms, id
                """, arguments: [camera, Self.millis(to), Self.millis(from)]).map(Self.event(from:))
        }
    }

    public func attachEvent(id: Int64, toRecording recordingID: Int64, offsetSeconds: Double, still: String?) async throws {
        try await write { db in
            try db.execute(sql: """
                UPDATE event SET recording_id = ?, offset_s = ?, still = coalesce(?, still) WHERE id = ?
                """, arguments: [recordingID, offsetSeconds, still, id])
        }
    }

    public func oldestUnindexedFiles() async throws -> [String: Date] {
        try await read { db in
            var result: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT camera_id, min(modified_ms) AS oldest FROM source_file
                WHERE state IN ('pending', 'indexing') GROUP BY camera_id
                """) {
                result[row["camera_id"]] = Self.date(row["oldest"])
            }
            return result
        }
    }
}
