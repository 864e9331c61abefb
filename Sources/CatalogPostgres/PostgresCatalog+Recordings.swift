import Catalog
import Foundation
import PostgresNIO

// MARK: - Recordings, events and cameras

extension PostgresCatalog {
    public func recording(fingerprint: String) async throws(CatalogError) -> Recording? {
        try await call {
            try await rows("SELECT * FROM recording WHERE fingerprint = \(fingerprint)").first.map(recording(from:))
        }
    }

    public func recording(id: Int64) async throws(CatalogError) -> Recording? {
        try await call { try await rows("SELECT * FROM recording WHERE id = \(id)").first.map(recording(from:)) }
    }

    /// Commits a recording, its events, their alerts and the file's claim in one transaction. Two nodes that
    /// commit the same content race on the fingerprint's unique key: the loser writes nothing and gets the
    /// winner's recording back.
    public func commitIndexed(_ new: NewRecording, events: [NewMotionEvent], options: CommitOptions) async throws(CatalogError)
        -> CommitResult {
        let source = options.source
        let node = settings.nodeID
        let alerts = options.alerts
        let recordingAlerts = options.recordingAlerts
        let merge = options.merge
        let replaceGrownFile = options.replaceGrownFile
        return try await call {
            try await transaction { connection in
                try await execute("INSERT INTO camera (id) VALUES (\(new.camera)) ON CONFLICT DO NOTHING", on: connection)
                // Commits of one camera's files take turns while events may merge across files: an event running
                // across two files committed at the same moment by two nodes must see the other's half, as it
                // would on one node.
                if merge != nil {
                    try await execute("SELECT pg_advisory_xact_lock(\(LockKey.cameraCommits.classID), hashtext(\(new.camera)))",
                                      on: connection)
                }
                if let existingRow = try await rows("SELECT * FROM recording WHERE fingerprint = \(new.fingerprint)", on: connection).first {
                    return try await alreadyIndexed(existingRow, source: source, node: node, on: connection)
                }
                // A file that grew at its path replaces the recording of its first part (its events are not neighbours).
                let grown = replaceGrownFile ? try await grownRecording(new, on: connection) : nil
                var reusable = grown == nil ? [] : try await self.events(recordingID: grown?.id ?? 0, on: connection)
                // The neighbours are read before the new recording exists, so none of them is its own.
                var placements = events.map(EventMerge.Placement.insert)
                if let merge, let window = merge.window(for: events) {
                    let neighbours = try await self.neighbours(camera: new.camera, from: window.from, to: window.to, on: connection)
                        .filter { $0.event.recordingID != grown?.id }
                    placements = merge.place(events, recordingStart: new.start,
                                             recordingEnd: new.start.addingTimeInterval(new.durationSeconds), neighbours: neighbours)
                }
                let signature = new.signature.map(Self.bytes)
                let inserted = try await rows("""
                    INSERT INTO recording (fingerprint, path, camera_id, start_ms, start_source, duration_s, codec, width,
                        height, frame_rate, frame_count, size_bytes, latitude, longitude, indexed_at_ms, health, signature, stream, sha256)
                    VALUES (\(new.fingerprint), \(stored(new.path)), \(new.camera), \(Self.millis(new.start)), \(new.startSource.rawValue),
                        \(new.durationSeconds), \(new.codec), \(new.width), \(new.height), \(new.frameRate), \(new.frameCount),
                        \(new.sizeBytes), \(new.latitude), \(new.longitude), \(Self.now), \(StoredRow.healthText(new.health)),
                        \(signature), \(new.stream.rawValue), \(new.sha256))
                    ON CONFLICT (fingerprint) DO NOTHING
                    RETURNING *
                    """, on: connection)
                guard let row = inserted.first else {
                    // Another node committed the same content meanwhile (the unique key made us wait for it).
                    guard let existingRow = try await rows("SELECT * FROM recording WHERE fingerprint = \(new.fingerprint)",
                                                           on: connection).first else {
                        throw CatalogError(.busy, "catalog '\(settings.displayName)': recording \(new.fingerprint) vanished while committing (retry)")
                    }
                    return try await alreadyIndexed(existingRow, source: source, node: node, on: connection)
                }
                let recording = try recording(from: row)
                var longest: Int64 = 0
                var stored: [MotionEvent] = []
                for placement in placements {
                    switch placement {
                    case let .insert(event):
                        let start = Self.millis(event.start), end = Self.millis(event.end)
                        longest = max(longest, end - start)
                        let moved = MovementValues(footprint: event.footprint, path: event.path), f = moved.footprint
                        let id: Int64
                        if let reused = GrownRecording.takeMatch(&reusable, for: event) {
                            id = reused.id
                            try await execute("""
                                UPDATE event SET recording_id = \(recording.id), start_ms = \(start), end_ms = \(end),
                                    offset_s = \(event.offsetSeconds), clip_start_ms = \(Self.millis(event.clipStart)),
                                    clip_end_ms = \(Self.millis(event.clipEnd)), peak_ms = \(Self.millis(event.peakTime)),
                                    peak_score = \(event.peakScore), mean_score = \(event.meanScore), area = \(event.area),
                                    bbox_x = \(event.boundingBox.x), bbox_y = \(event.boundingBox.y), bbox_w = \(event.boundingBox.width),
                                    bbox_h = \(event.boundingBox.height), still = \(event.still),
                                    footprint_0 = \(f[0]), footprint_1 = \(f[1]), footprint_2 = \(f[2]), footprint_3 = \(f[3]),
                                    footprint_4 = \(f[4]), footprint_5 = \(f[5]), footprint_6 = \(f[6]), footprint_7 = \(f[7]),
                                    footprint_8 = \(f[8]), path = \(moved.path), travel_dx = \(moved.travelX), travel_dy = \(moved.travelY)
                                WHERE id = \(reused.id)
                                """, on: connection)
                        } else {
                            id = try await rows("""
                                INSERT INTO event (camera_id, recording_id, start_ms, end_ms, offset_s, clip_start_ms, clip_end_ms,
                                    peak_ms, peak_score, mean_score, area, bbox_x, bbox_y, bbox_w, bbox_h, still,
                                    footprint_0, footprint_1, footprint_2, footprint_3, footprint_4, footprint_5, footprint_6,
                                    footprint_7, footprint_8, path, travel_dx, travel_dy)
                                VALUES (\(new.camera), \(recording.id), \(start), \(end), \(event.offsetSeconds),
                                    \(Self.millis(event.clipStart)), \(Self.millis(event.clipEnd)), \(Self.millis(event.peakTime)),
                                    \(event.peakScore), \(event.meanScore), \(event.area), \(event.boundingBox.x), \(event.boundingBox.y),
                                    \(event.boundingBox.width), \(event.boundingBox.height), \(event.still),
                                    \(f[0]), \(f[1]), \(f[2]), \(f[3]), \(f[4]), \(f[5]), \(f[6]), \(f[7]), \(f[8]),
                                    \(moved.path), \(moved.travelX), \(moved.travelY))
                                RETURNING id
                                """, on: connection)[0].get("id", as: Int64.self)
                        }
                        var inserted = MotionEvent(
                            id: id, camera: new.camera, recordingID: recording.id, start: Self.date(start), end: Self.date(end),
                            offsetSeconds: event.offsetSeconds, clipStart: Self.date(Self.millis(event.clipStart)),
                            clipEnd: Self.date(Self.millis(event.clipEnd)), peakTime: Self.date(Self.millis(event.peakTime)),
                            peakScore: event.peakScore, meanScore: event.meanScore, area: event.area, boundingBox: event.boundingBox,
                            still: event.still)
                        inserted.footprint = event.footprint
                        inserted.path = event.path
                        inserted.sourceStream = new.stream
                        if new.stream == .sub { inserted.detectedRecordingID = recording.id }
                        stored.append(inserted)
                    case let .update(event, anchoredInNewRecording):
                        longest = max(longest, Self.millis(event.end) - Self.millis(event.start))
                        try await rewrite(event, recordingID: anchoredInNewRecording ? recording.id : event.recordingID, on: connection)
                    }
                }
                // Only a longer event takes the row lock, so concurrent commits rarely wait on it.
                try await execute("""
                    UPDATE catalog_meta SET value = \(longest) WHERE key = 'max_event_ms' AND value < \(longest)
                    """, on: connection)
                if let grown { try await retire(grown, leftovers: reusable, into: recording.id, on: connection) }
                for event in stored { try await Self.queue(connection, self, alerts(event)) }
                try await Self.queue(connection, self, recordingAlerts)
                if let source { try await Self.markSourceIndexed(connection, self, path: source, recordingID: recording.id, node: node) }
                var result = CommitResult(recording: recording, events: stored, inserted: true)
                result.replaced = grown?.id
                return result
            }
        }
    }

    /// The answer for content already indexed: its recording and events; the daemon's file marked as a copy.
    private func alreadyIndexed(_ row: PostgresRandomAccessRow, source: String?, node: String,
                                on connection: PostgresConnection) async throws -> CommitResult {
        let recording = try recording(from: row)
        if let source { try await Self.markSourceIndexed(connection, self, path: source, recordingID: recording.id, node: node) }
        let stored = try await rows("""
            SELECT \(unescaped: Self.eventColumns()) FROM event WHERE recording_id = \(recording.id) ORDER BY start_ms, id
            """, on: connection).map(Self.event(from:))
        return CommitResult(recording: recording, events: stored, inserted: false)
    }

    public func events(matching query: EventQuery) async throws(CatalogError) -> [MotionEvent] {
        try await call {
            var clauses: [String] = []
            var binds = PostgresBindings()
            func parameter() -> String { "$\(binds.count)" }
            if let camera = query.camera { binds.append(camera); clauses.append("camera_id = \(parameter())") }
            if !query.cameras.isEmpty { binds.append(query.cameras); clauses.append("camera_id = ANY(\(parameter()))") }
            if let recordingID = query.recordingID { binds.append(recordingID); clauses.append("recording_id = \(parameter())") }
            if let from = query.from {
                let longest = try await maxEventMillis()
                binds.append(Self.millis(from)); clauses.append("end_ms > \(parameter())")
                binds.append(Self.millis(from) - longest); clauses.append("start_ms >= \(parameter())")
            }
            if let to = query.to { binds.append(Self.millis(to)); clauses.append("start_ms < \(parameter())") }
            var sql = "SELECT \(Self.eventColumns()) FROM event"
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY start_ms, id"
            if let limit = query.limit { binds.append(limit); sql += " LIMIT \(parameter())" }
            return try await rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(Self.event(from:))
        }
    }

    public func event(id: Int64) async throws(CatalogError) -> MotionEvent? {
        try await call {
            try await rows("SELECT \(unescaped: Self.eventColumns()) FROM event WHERE id = \(id)").first.map(Self.event(from:))
        }
    }

    public func cameras() async throws(CatalogError) -> [Camera] {
        try await call { try await cachedCameras() }
    }

    /// Every camera, reread only when the registry's change counter has moved (whichever node changed it).
    func cachedCameras() async throws -> [Camera] {
        let version = try await rows("SELECT value FROM catalog_meta WHERE key = 'cameras_version'").first?.get("value", as: Int64.self) ?? 0
        if let cached = cameraCache.withLock({ $0 }), cached.version == version { return cached.cameras }
        let cameras = try await rows("SELECT id, name, ward, street, latitude, longitude FROM camera ORDER BY id").map {
            Camera(id: try $0.get(0), name: try $0.get(1), ward: try $0.get(2), street: try $0.get(3), latitude: try $0.get(4),
                   longitude: try $0.get(5))
        }
        cameraCache.withLock { $0 = (version, cameras) }
        return cameras
    }

    public func previousSignature(camera: String, before time: Date) async throws(CatalogError) -> [Float]? {
        try await call {
            try await rows("""
                SELECT signature FROM recording WHERE camera_id = \(camera) AND start_ms < \(Self.millis(time))
                    AND signature IS NOT NULL
                ORDER BY start_ms DESC LIMIT 1
                """).first.map { Self.floats(try $0.get("signature", as: ByteBuffer.self)) }
        }
    }

    public func queueAlerts(_ alerts: [NewAlert]) async throws(CatalogError) {
        try await call { try await transaction { connection in try await Self.queue(connection, self, alerts) } }
    }

    public func saveCameras(_ cameras: [Camera]) async throws(CatalogError) {
        try await call {
            // Every command saves the registry; write only when it changed, so readers never contend.
            let stored = Dictionary(try await cachedCameras().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            guard cameras.contains(where: { stored[$0.id] != $0 }) else { return }
            try await transaction { connection in
                for camera in cameras where stored[camera.id] != camera {
                    try await execute("""
                        INSERT INTO camera (id, name, ward, street, latitude, longitude)
                        VALUES (\(camera.id), \(camera.name), \(camera.ward), \(camera.street), \(camera.latitude), \(camera.longitude))
                        ON CONFLICT (id) DO UPDATE SET name = excluded.name, ward = excluded.ward, street = excluded.street,
                            latitude = excluded.latitude, longitude = excluded.longitude
                        """, on: connection)
                }
            }
        }
    }

    public func recordings(camera: String, overlappingFrom from: Date, to: Date) async throws(CatalogError) -> [Recording] {
        try await call {
            try await rows("""
                SELECT * FROM recording
                WHERE camera_id = \(camera) AND start_ms < \(Self.millis(to))
                    AND start_ms + CAST(duration_s * 1000 AS bigint) > \(Self.millis(from))
                ORDER BY start_ms, id
                """).map(recording(from:))
        }
    }

    public func cameraStatus() async throws(CatalogError) -> [CameraStatus] {
        try await call {
            var result: [String: CameraStatus] = [:]
            func entry(_ camera: String) -> CameraStatus {
                result[camera] ?? CameraStatus(camera: camera, files: [:], footageSeconds: 0, eventCount: 0, lastEvent: nil,
                                               lastRecordingEnd: nil, lastFileSeen: nil)
            }
            for row in try await rows("SELECT id FROM camera") {
                let id = try row.get("id", as: String.self)
                result[id] = entry(id)
            }
            for row in try await rows("""
                SELECT camera_id, state, count(*) AS n, max(first_seen_ms) AS seen FROM source_file GROUP BY camera_id, state
                """) {
                var status = entry(try row.get("camera_id"))
                if let state = SourceFile.State(rawValue: try row.get("state")) { status.files[state] = try row.get("n", as: Int.self) }
                status.lastFileSeen = max(status.lastFileSeen ?? .distantPast, Self.date(try row.get("seen")))
                result[status.camera] = status
            }
            for row in try await rows("""
                SELECT camera_id, max(footage) AS footage, max(last_end) AS last_end FROM (
                    SELECT camera_id, sum(duration_s) AS footage, max(start_ms + CAST(duration_s * 1000 AS bigint)) AS last_end
                    FROM recording GROUP BY camera_id, stream) AS per_stream
                GROUP BY camera_id
                """) {
                var status = entry(try row.get("camera_id"))
                status.footageSeconds = try row.get("footage")
                status.lastRecordingEnd = try row.get("last_end", as: Int64?.self).map(Self.date)
                result[status.camera] = status
            }
            for row in try await rows("""
                SELECT DISTINCT ON (camera_id) camera_id, health FROM recording
                ORDER BY camera_id, start_ms DESC, health = '', id DESC
                """) {
                // A camera's two streams start together; only the decoded one has a health verdict.
                var status = entry(try row.get("camera_id"))
                let health = try row.get("health", as: String.self)
                status.lastRecordingHealth = StoredRow.health(health)
                result[status.camera] = status
            }
            for row in try await rows("""
                SELECT camera_id, count(*) AS n FROM source_file WHERE state = 'failed' AND crashes > 0 GROUP BY camera_id
                """) {
                var status = entry(try row.get("camera_id"))
                status.quarantined = try row.get("n", as: Int.self)
                result[status.camera] = status
            }
            for (camera, problems) in try await sourceProblems() {
                var status = entry(camera)
                status.sourceProblems = problems
                result[camera] = status
            }
            for row in try await rows("SELECT camera_id, count(*) AS n, max(start_ms) AS last FROM event GROUP BY camera_id") {
                var status = entry(try row.get("camera_id"))
                status.eventCount = try row.get("n", as: Int.self)
                status.lastEvent = try row.get("last", as: Int64?.self).map(Self.date)
                result[status.camera] = status
            }
            return result.values.sorted { $0.camera < $1.camera }
        }
    }

    // MARK: - Plumbing

    func maxEventMillis() async throws -> Int64 {
        try await rows("SELECT value FROM catalog_meta WHERE key = 'max_event_ms'").first?.get("value", as: Int64.self) ?? 0
    }

    /// The camera's stored events that may merge with events in [from, to], with their recordings' bounds.
    private func neighbours(camera: String, from: Date, to: Date, on connection: PostgresConnection) async throws
        -> [EventMerge.Neighbour] {
        let longest = try await rows("SELECT value FROM catalog_meta WHERE key = 'max_event_ms'", on: connection)
            .first?.get("value", as: Int64.self) ?? 0
        return try await rows("""
            SELECT \(unescaped: Self.eventColumns("e.")), r.start_ms AS r_start,
                r.start_ms + CAST(r.duration_s * 1000 AS bigint) AS r_end
            FROM event e JOIN recording r ON r.id = e.recording_id
            WHERE e.camera_id = \(camera) AND e.start_ms BETWEEN \(Self.millis(from) - longest) AND \(Self.millis(to))
                AND e.end_ms >= \(Self.millis(from))
            ORDER BY e.start_ms, e.id
            FOR UPDATE OF e
            """, on: connection).map { row in
            EventMerge.Neighbour(event: try Self.event(from: row), recordingStart: Self.date(try row.get("r_start")),
                                 recordingEnd: Self.date(try row.get("r_end")))
        }
    }

    /// Writes an existing event's new values (after a merge), keeping its id.
    private func rewrite(_ event: MotionEvent, recordingID: Int64, on connection: PostgresConnection) async throws {
        try await execute("""
            UPDATE event SET start_ms = \(Self.millis(event.start)), end_ms = \(Self.millis(event.end)), recording_id = \(recordingID),
                offset_s = \(event.offsetSeconds), clip_start_ms = \(Self.millis(event.clipStart)),
                clip_end_ms = \(Self.millis(event.clipEnd)), peak_ms = \(Self.millis(event.peakTime)), peak_score = \(event.peakScore),
                mean_score = \(event.meanScore), area = \(event.area), bbox_x = \(event.boundingBox.x), bbox_y = \(event.boundingBox.y),
                bbox_w = \(event.boundingBox.width), bbox_h = \(event.boundingBox.height), still = \(event.still)
            WHERE id = \(event.id)
            """, on: connection)
        try await storeMovement(event: event.id, MovementValues(footprint: event.footprint, path: event.path), on: connection)
    }

    static func markSourceIndexed(_ connection: PostgresConnection, _ catalog: PostgresCatalog, path: String, recordingID: Int64,
                                  node: String) async throws {
        try await catalog.execute("""
            UPDATE source_file SET state = 'indexed', reason = NULL, recording_id = \(recordingID), updated_ms = \(now),
                claimed_by = NULL, lease_until_ms = NULL
            WHERE path = \(catalog.stored(path))
            """, on: connection)
    }

    /// Queues alerts; an alert id already queued (a retried commit, another node) is ignored, never duplicated.
    static func queue(_ connection: PostgresConnection, _ catalog: PostgresCatalog, _ alerts: [NewAlert]) async throws {
        for alert in alerts {
            try await catalog.execute("""
                INSERT INTO alert_outbox (alert_id, rule, log_path, line, created_ms)
                VALUES (\(alert.alertID), \(alert.rule), \(alert.log), \(alert.line), \(now))
                ON CONFLICT (alert_id) DO NOTHING
                """, on: connection)
        }
    }

    /// A recording row, its path as this node opens it (`PostgresSettings.pathMap`).
    func recording(from row: PostgresRandomAccessRow) throws -> Recording {
        var recording = Recording(
            id: try row.get("id"), fingerprint: try row.get("fingerprint"), path: local(try row.get("path")), camera: try row.get("camera_id"),
            start: Self.date(try row.get("start_ms")),
            startSource: StartSource(rawValue: try row.get("start_source")) ?? .modificationTime,
            durationSeconds: try row.get("duration_s"), codec: try row.get("codec"), width: try row.get("width"),
            height: try row.get("height"), frameRate: try row.get("frame_rate"), frameCount: try row.get("frame_count"),
            sizeBytes: try row.get("size_bytes"), latitude: try row.get("latitude"), longitude: try row.get("longitude"),
            indexedAt: Self.date(try row.get("indexed_at_ms")))
        recording.health = StoredRow.health(try row.get("health", as: String.self))
        recording.sha256 = try row.get("sha256", as: String?.self)
        recording.sourceProblem = try row.get("source_problem", as: String?.self)
        recording.stream = RecordingStream(rawValue: try row.get("stream", as: String.self)) ?? .main
        return recording
    }

    /// The event columns in the order `event(from:)` reads them (`StoredRow.eventColumns`), then the movement columns.
    static func eventColumns(_ table: String = "") -> String {
        StoredRow.eventColumns(table) + ", " + movementColumnNames.map { table + $0 }.joined(separator: ", ")
    }

    /// An event from a row that starts with `eventColumns()`, read by position.
    static func event(from row: PostgresRandomAccessRow) throws -> MotionEvent {
        var event = MotionEvent(
            id: try row.get(0), camera: try row.get(1), recordingID: try row.get(2), start: date(try row.get(3)),
            end: date(try row.get(4)), offsetSeconds: try row.get(5), clipStart: date(try row.get(6)), clipEnd: date(try row.get(7)),
            peakTime: date(try row.get(8)), peakScore: try row.get(9), meanScore: try row.get(10), area: try row.get(11),
            boundingBox: NormalizedBox(x: try row.get(12), y: try row.get(13), width: try row.get(14), height: try row.get(15)),
            still: try row.get(16))
        event.sourceStream = RecordingStream(rawValue: try row.get(17, as: String.self)) ?? .main
        event.detectedRecordingID = try row.get(18)
        try readMovement(row, from: 19, into: &event)
        return event
    }
}
