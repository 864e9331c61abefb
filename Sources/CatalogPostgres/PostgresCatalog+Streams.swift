import Catalog
import Foundation
import PostgresNIO

// MARK: - Two streams per camera, and the daemon's lag figures

extension PostgresCatalog {
    /// Schema version 3, the SQLite catalog's "v10-streams": recordings learn which stream they belong to; events
    /// learn which stream they play from and which sub-stream recording found them. Triggers keep both event
    /// columns in step with the event's recording, whoever moves it (a commit, a merge across files, an attach).
    static let streamsMigration = [
        "ALTER TABLE recording ADD COLUMN stream text NOT NULL DEFAULT 'main' CHECK (stream IN ('main', 'sub'))",
        "ALTER TABLE event ADD COLUMN source_stream text NOT NULL DEFAULT 'main' CHECK (source_stream IN ('main', 'sub'))",
        "ALTER TABLE event ADD COLUMN detected_recording_id bigint REFERENCES recording(id)",
        "CREATE INDEX recording_camera_stream_start ON recording (camera_id, stream, start_ms)",
        "CREATE INDEX event_sub_stream ON event (camera_id, start_ms) WHERE source_stream = 'sub'",
        "CREATE INDEX source_file_unindexed ON source_file (camera_id, modified_ms) WHERE state IN ('pending', 'indexing')",
        """
        CREATE FUNCTION event_stream() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            recording_stream text := (SELECT stream FROM recording WHERE id = NEW.recording_id);
        BEGIN
            IF recording_stream = 'sub' THEN
                NEW.source_stream := 'sub';
                NEW.detected_recording_id := NEW.recording_id;
            ELSIF TG_OP = 'UPDATE' THEN
                NEW.source_stream := recording_stream;
                NEW.detected_recording_id := OLD.detected_recording_id;
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER event_stream_inserted BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_stream()",
        "CREATE TRIGGER event_stream_moved BEFORE UPDATE OF recording_id ON event FOR EACH ROW EXECUTE FUNCTION event_stream()",
    ]

    public func subStreamEvents(camera: String, overlappingFrom from: Date, to: Date) async throws(CatalogError) -> [MotionEvent] {
        try await call {
            let longest = try await maxEventMillis()
            return try await rows("""
                SELECT \(unescaped: Self.eventColumns()) FROM event
                WHERE camera_id = \(camera) AND source_stream = 'sub' AND start_ms < \(Self.millis(to))
                    AND start_ms >= \(Self.millis(from) - longest) AND end_ms > \(Self.millis(from))
                ORDER BY start_ms, id
                """).map(Self.event(from:))
        }
    }

    public func attachEvent(id: Int64, toRecording recordingID: Int64, offsetSeconds: Double, still: String?) async throws(CatalogError) {
        try await call {
            try await rows("""
                UPDATE event SET recording_id = \(recordingID), offset_s = \(offsetSeconds), still = coalesce(\(still), still)
                WHERE id = \(id)
                """)
        }
    }

    public func oldestUnindexedFiles() async throws(CatalogError) -> [String: Date] {
        try await call {
            var result: [String: Date] = [:]
            for row in try await rows("""
                SELECT camera_id, min(modified_ms) AS oldest FROM source_file
                WHERE state IN ('pending', 'indexing') GROUP BY camera_id
                """) {
                result[try row.get("camera_id", as: String.self)] = Self.date(try row.get("oldest", as: Int64.self))
            }
            return result
        }
    }
}
