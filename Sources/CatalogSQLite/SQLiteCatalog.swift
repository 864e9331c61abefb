import Catalog
import Foundation
import GRDB

/// The embedded default catalog: one SQLite file in WAL mode (concurrent readers, one writer).
///
/// Owns the connection pool and the schema migrations; callers use intention-named methods and
/// never see SQL. Times are stored as integer milliseconds since 1970 (UTC) for exact ordering and
/// range scans.
public final class SQLiteCatalog: CatalogStore {
    public let path: String
    private let pool: DatabasePool
    /// The camera registry as searches last read it (see `CameraCache`).
    let cameraCache = CameraCache()

    /// Opens (creating if needed) the catalog at `path` and brings its schema up to date.
    /// - Throws: `CatalogError` naming the file when it cannot be opened or is not a WardWatch catalog.
    public init(path: String) throws(CatalogError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CatalogError(.cannotOpen, "cannot create folder '\(directory)' for catalog '\(path)': \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // Several processes (the daemon, a search, a status) may open a new or older catalog at
        // the same moment. Migrations are not coordinated across processes, so the one that loses
        // the race retries after the winner has finished; by then every migration is applied.
        var attempt = 0
        while true {
            do {
                let opened = try DatabasePool(path: path, configuration: configuration)
                try Self.migrator.migrate(opened)
                pool = opened
                break
            } catch let error as DatabaseError {
                attempt += 1
                // The loser repeats a migration the winner has just applied, and what fails depends
                // on it: a table or trigger that "already exists" (v1, v2, v5, v6), a "duplicate
                // column name" (v3), or, for v4 whose statements are idempotent, its row in grdb_migrations.
                let message = error.message ?? ""
                let racing = error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
                    || message.contains("already exists") || message.contains("duplicate column name")
                    || message.contains("grdb_migrations")
                if racing, attempt < 50 {
                    usleep(100_000)
                    continue
                }
                throw CatalogError(.cannotOpen, "cannot open catalog '\(path)': \(error.message ?? error.description)")
            } catch {
                throw CatalogError(.cannotOpen, "cannot open catalog '\(path)': \(error)")
            }
        }
    }

    /// The folder where event stills live, next to the catalog file ("catalog.sqlite" → "catalog.stills").
    public var stillsDirectory: String {
        let base = (path as NSString).deletingPathExtension
        return base + ".stills"
    }

    // MARK: - Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: cameras, recordings, events") { db in
            try db.execute(sql: """
                CREATE TABLE camera (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT, ward TEXT, street TEXT, latitude REAL, longitude REAL
                );
                CREATE TABLE recording (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fingerprint TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    start_ms INTEGER NOT NULL,
                    start_source TEXT NOT NULL,
                    duration_s REAL NOT NULL,
                    codec TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    frame_rate REAL,
                    frame_count INTEGER NOT NULL,
                    size_bytes INTEGER NOT NULL,
                    latitude REAL,
                    longitude REAL,
                    indexed_at_ms INTEGER NOT NULL
                );
                CREATE INDEX recording_camera_start ON recording(camera_id, start_ms);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    recording_id INTEGER NOT NULL REFERENCES recording(id) ON DELETE CASCADE,
                    start_ms INTEGER NOT NULL,
                    end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
                    offset_s REAL NOT NULL,
                    clip_start_ms INTEGER NOT NULL,
                    clip_end_ms INTEGER NOT NULL,
                    peak_ms INTEGER NOT NULL,
                    peak_score REAL NOT NULL,
                    mean_score REAL NOT NULL,
                    area REAL NOT NULL,
                    bbox_x REAL NOT NULL, bbox_y REAL NOT NULL, bbox_w REAL NOT NULL, bbox_h REAL NOT NULL,
                    still TEXT
                );
                CREATE INDEX event_camera_start ON event(camera_id, start_ms);
                CREATE INDEX event_start ON event(start_ms);
                CREATE INDEX event_recording ON event(recording_id);
                -- The longest event ever stored bounds time-overlap scans on event_start.
                CREATE TABLE catalog_meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                INSERT INTO catalog_meta (key, value) VALUES ('max_event_ms', 0);
                """)
        }
        migrator.registerMigration("v2: daemon file states and the alert outbox") { db in
            try db.execute(sql: """
                CREATE TABLE source_file (
                    path TEXT PRIMARY KEY NOT NULL,
                    camera_id TEXT NOT NULL,
                    size_bytes INTEGER NOT NULL,
                    modified_ms INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'indexing', 'indexed', 'failed')),
                    reason TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    recording_id INTEGER REFERENCES recording(id),
                    first_seen_ms INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL
                );
                CREATE INDEX source_file_camera_state ON source_file(camera_id, state);
                CREATE TABLE alert_outbox (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    alert_id TEXT NOT NULL UNIQUE,
                    rule TEXT NOT NULL,
                    log_path TEXT NOT NULL,
                    line TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    delivered_ms INTEGER
                );
                CREATE INDEX alert_outbox_undelivered ON alert_outbox(sequence) WHERE delivered_ms IS NULL;
                """)
        }
        migrator.registerMigration("v3: recording health and picture signature") { db in
            try db.execute(sql: """
                ALTER TABLE recording ADD COLUMN health TEXT NOT NULL DEFAULT '';
                ALTER TABLE recording ADD COLUMN signature BLOB;
                """)
        }
        migrator.registerMigration("v4: covering index for place + time searches") { db in
            // Searches filter and sort on camera, start and end; with all three in the index, a page
            // is chosen from the index alone and only its rows are read.
            try db.execute(sql: """
                CREATE INDEX IF NOT EXISTS event_camera_time ON event(camera_id, start_ms, end_ms);
                DROP INDEX IF EXISTS event_camera_start;
                """)
        }
        migrator.registerMigration("v5: users and the audit trail") { db in
            try db.execute(sql: """
                CREATE TABLE app_user (
                    name TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'investigator', 'admin')),
                    ward TEXT,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_ms INTEGER NOT NULL,
                    revoked_ms INTEGER
                );
                CREATE TABLE audit (
                    sequence INTEGER PRIMARY KEY,
                    time_ms INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    query TEXT NOT NULL,
                    result_count INTEGER,
                    client TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX audit_time ON audit(time_ms);
                -- Append-only: the application never edits the trail (the hash chain catches anyone who does).
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                """)
        }
        migrator.registerMigration("v6: a change counter for the camera registry") { db in
            // Searches keep the camera list, and the cameras each place filter admits, between calls;
            // they reread it only when this counter has moved, whichever process changed the registry.
            // A process that races another to apply this fails on the first CREATE ("already exists")
            // and retries, like the migrations before it.
            try db.execute(sql: """
                CREATE TRIGGER camera_inserted AFTER INSERT ON camera BEGIN
                    UPDATE catalog_meta SET value = value + 1 WHERE key = 'cameras_version';
                END;
                CREATE TRIGGER camera_updated AFTER UPDATE ON camera BEGIN
                    UPDATE catalog_meta SET value = value + 1 WHERE key = 'cameras_version';
                END;
                CREATE TRIGGER camera_deleted AFTER DELETE ON camera BEGIN
                    UPDATE catalog_meta SET value = value + 1 WHERE key = 'cameras_version';
                END;
                INSERT INTO catalog_meta (key, value) VALUES ('cameras_version', 0);
                """)
        }
        migrator.registerMigration("v7-evidence") { db in
            try db.execute(sql: """
                CREATE TABLE custody (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time_ms INTEGER NOT NULL,
                    case_id TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('export', 'handoff')),
                    actor TEXT NOT NULL,
                    recipient TEXT,
                    reason TEXT NOT NULL,
                    bundle_path TEXT NOT NULL,
                    manifest_sha256 TEXT NOT NULL,
                    event_ids TEXT NOT NULL
                );
                CREATE INDEX custody_case ON custody(case_id, id);
                CREATE TABLE legal_hold (
                    event_id INTEGER NOT NULL REFERENCES event(id),
                    case_id TEXT NOT NULL,
                    placed_ms INTEGER NOT NULL,
                    custody_id INTEGER NOT NULL REFERENCES custody(id),
                    PRIMARY KEY (event_id, case_id)
                );
                CREATE INDEX legal_hold_case ON legal_hold(case_id);
                -- The chain of custody is append-only, like the audit trail.
                CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
                CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
                -- Held evidence cannot be deleted, whatever a future retention job forgets to check.
                -- (Releasing a hold is not built; when it is, it will be a custody step too.)
                CREATE TRIGGER legal_hold_no_delete BEFORE DELETE ON legal_hold BEGIN SELECT RAISE(ABORT, 'legal holds cannot be removed'); END;
                CREATE TRIGGER event_held_no_delete BEFORE DELETE ON event
                    WHEN EXISTS (SELECT 1 FROM legal_hold WHERE event_id = OLD.id)
                    BEGIN SELECT RAISE(ABORT, 'the event is on legal hold'); END;
                CREATE TRIGGER recording_held_no_delete BEFORE DELETE ON recording
                    WHEN EXISTS (SELECT 1 FROM legal_hold h JOIN event e ON e.id = h.event_id WHERE e.recording_id = OLD.id)
                    BEGIN SELECT RAISE(ABORT, 'the recording has events on legal hold'); END;
                """)
        }
        migrator.registerMigration("v8-linking") { db in try createLinkingSchema(db) }
        migrator.registerMigration("v9-console") { db in try createConsoleSchema(db) }
        migrator.registerMigration("v10-streams") { db in try createStreamsSchema(db) }
        migrator.registerMigration("v11-footprint") { db in try addFootprintColumns(db) }
        migrator.registerMigration("v12-source-sha256") { db in try addSourceIntegritySchema(db) }
        return migrator
    }

    // MARK: - CatalogStore

    public func recording(fingerprint: String) async throws -> Recording? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM recording WHERE fingerprint = ?", arguments: [fingerprint])
                .map(Self.recording(from:))
        }
    }

    public func recording(id: Int64) async throws -> Recording? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM recording WHERE id = ?", arguments: [id]).map(Self.recording(from:))
        }
    }

    public func commitIndexed(_ new: NewRecording, events: [NewMotionEvent], options: CommitOptions) async throws -> CommitResult {
        try await write { db in
            if let existing = try Row.fetchOne(
                db, sql: "SELECT * FROM recording WHERE fingerprint = ?", arguments: [new.fingerprint]) {
                let recording = Self.recording(from: existing)
                if let source = options.source { try Self.markSourceIndexed(db, path: source, recordingID: recording.id) }
                let stored = try Row.fetchAll(
                    db, sql: "SELECT \(Self.eventColumns()) FROM event WHERE recording_id = ? ORDER BY start_ms, id",
                    arguments: [recording.id])
                return CommitResult(recording: recording, events: stored.map(Self.event(from:)), inserted: false)
            }
            // A file that grew at its path replaces the recording of its first part (its events are not neighbours).
            let grown = options.replaceGrownFile ? try Self.grownRecording(db, new) : nil
            var reusable = try grown.map { try Self.events(db, recordingID: $0.id) } ?? []
            // The neighbours are read before the new recording exists, so none of them is its own.
            var placements = events.map(EventMerge.Placement.insert)
            if let merge = options.merge, let window = merge.window(for: events) {
                let neighbours = try Self.neighbours(db, camera: new.camera, from: window.from, to: window.to)
                    .filter { $0.event.recordingID != grown?.id }
                placements = merge.place(events, recordingStart: new.start, recordingEnd: new.start.addingTimeInterval(new.durationSeconds),
                                         neighbours: neighbours)
            }
            try db.execute(sql: "INSERT OR IGNORE INTO camera (id) VALUES (?)", arguments: [new.camera])
            let now = Date()
            try db.execute(sql: """
                INSERT INTO recording (fingerprint, path, camera_id, start_ms, start_source, duration_s, codec, width,
                    height, frame_rate, frame_count, size_bytes, latitude, longitude, indexed_at_ms, health, signature, stream, sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    new.fingerprint, new.path, new.camera, Self.millis(new.start), new.startSource.rawValue,
                    new.durationSeconds, new.codec, new.width, new.height, new.frameRate, new.frameCount,
                    new.sizeBytes, new.latitude, new.longitude, Self.millis(now), StoredRow.healthText(new.health),
                    new.signature.map(Self.blob), new.stream.rawValue, new.sha256,
                ])
            let recordingID = db.lastInsertedRowID
            var longest: Int64 = 0
            var stored: [MotionEvent] = []
            for placement in placements {
                switch placement {
                case let .insert(event):
                    let start = Self.millis(event.start), end = Self.millis(event.end)
                    longest = max(longest, end - start)
                    let reused = GrownRecording.takeMatch(&reusable, for: event)
                    try db.execute(sql: reused == nil ? """
                        INSERT INTO event (camera_id, recording_id, start_ms, end_ms, offset_s, clip_start_ms, clip_end_ms,
                            peak_ms, peak_score, mean_score, area, bbox_x, bbox_y, bbox_w, bbox_h, still)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """ : """
                        UPDATE event SET camera_id = ?, recording_id = ?, start_ms = ?, end_ms = ?, offset_s = ?, clip_start_ms = ?,
                            clip_end_ms = ?, peak_ms = ?, peak_score = ?, mean_score = ?, area = ?, bbox_x = ?, bbox_y = ?,
                            bbox_w = ?, bbox_h = ?, still = ?
                        WHERE id = \(reused?.id ?? 0)
                        """, arguments: [
                            new.camera, recordingID, start, end, event.offsetSeconds, Self.millis(event.clipStart),
                            Self.millis(event.clipEnd), Self.millis(event.peakTime), event.peakScore, event.meanScore,
                            event.area, event.boundingBox.x, event.boundingBox.y, event.boundingBox.width,
                            event.boundingBox.height, event.still,
                        ])
                    stored.append(MotionEvent(
                        id: reused?.id ?? db.lastInsertedRowID, camera: new.camera, recordingID: recordingID,
                        start: Self.date(start), end: Self.date(end), offsetSeconds: event.offsetSeconds,
                        clipStart: Self.date(Self.millis(event.clipStart)), clipEnd: Self.date(Self.millis(event.clipEnd)),
                        peakTime: Self.date(Self.millis(event.peakTime)), peakScore: event.peakScore,
                        meanScore: event.meanScore, area: event.area, boundingBox: event.boundingBox, still: event.still))
                    try Self.storeMovement(db, event: reused?.id ?? db.lastInsertedRowID, footprint: event.footprint, path: event.path)
                    stored[stored.count - 1].footprint = event.footprint
                    stored[stored.count - 1].path = event.path
                    stored[stored.count - 1].sourceStream = new.stream
                    if new.stream == .sub { stored[stored.count - 1].detectedRecordingID = recordingID }
                case let .update(event, anchoredInNewRecording):
                    longest = max(longest, Self.millis(event.end) - Self.millis(event.start))
                    try Self.rewrite(db, event, recordingID: anchoredInNewRecording ? recordingID : event.recordingID)
                    try Self.storeMovement(db, event: event.id, footprint: event.footprint, path: event.path)
                }
            }
            try db.execute(sql: "UPDATE catalog_meta SET value = max(value, ?) WHERE key = 'max_event_ms'",
                           arguments: [longest])
            if let grown { try Self.retire(db, grown, leftovers: reusable, into: recordingID) }
            for event in stored { try Self.queue(db, options.alerts(event)) }
            try Self.queue(db, options.recordingAlerts)
            if let source = options.source { try Self.markSourceIndexed(db, path: source, recordingID: recordingID) }
            let row = try Row.fetchOne(db, sql: "SELECT * FROM recording WHERE id = ?", arguments: [recordingID])!
            var result = CommitResult(recording: Self.recording(from: row), events: stored, inserted: true)
            result.replaced = grown?.id
            return result
        }
    }

    public func events(matching query: EventQuery) async throws -> [MotionEvent] {
        try await read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let camera = query.camera {
                clauses.append("camera_id = ?")
                arguments += [camera]
            }
            if !query.cameras.isEmpty {
                clauses.append("camera_id IN (" + query.cameras.map { _ in "?" }.joined(separator: ",") + ")")
                for camera in query.cameras { arguments += [camera] }
            }
            if let recordingID = query.recordingID {
                clauses.append("recording_id = ?")
                arguments += [recordingID]
            }
            let overlap = try EventFilter(db, from: query.from, to: query.to).conditions()
            clauses += overlap.clauses
            arguments += overlap.arguments
            var sql = "SELECT \(Self.eventColumns()) FROM event"
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY start_ms, id"
            if let limit = query.limit {
                sql += " LIMIT ?"
                arguments += [limit]
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.event(from:))
        }
    }

    public func cameras() async throws -> [Camera] {
        // The API server asks on every request; the cache answers while the registry is unchanged.
        try await read { db in
            let version = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'cameras_version'")
            return try cameraCache.cameras(version: version, admittedBy: SearchQuery()) { try Self.cameras(db) }.all
        }
    }

    /// Every search reads all cameras, so they are decoded by position (see `event(from:)`).
    static func cameras(_ db: Database) throws -> [Camera] {
        try Array(Row.fetchCursor(db, sql: "SELECT id, name, ward, street, latitude, longitude FROM camera ORDER BY id").map {
            Camera(id: $0[0], name: $0[1], ward: $0[2], street: $0[3], latitude: $0[4], longitude: $0[5])
        })
    }

    public func previousSignature(camera: String, before time: Date) async throws -> [Float]? {
        try await read { db in
            try Data.fetchOne(db, sql: """
                SELECT signature FROM recording WHERE camera_id = ? AND start_ms < ? AND signature IS NOT NULL
                ORDER BY start_ms DESC LIMIT 1
                """, arguments: [camera, Self.millis(time)]).map(Self.floats)
        }
    }

    public func queueAlerts(_ alerts: [NewAlert]) async throws {
        try await write { db in try Self.queue(db, alerts) }
    }

    public func saveCameras(_ cameras: [Camera]) async throws {
        // Every command saves the registry; write only when it changed, so readers never contend.
        let stored = Dictionary(try await self.cameras().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard cameras.contains(where: { stored[$0.id] != $0 }) else { return }
        try await write { db in
            for camera in cameras {
                try db.execute(sql: """
                    INSERT INTO camera (id, name, ward, street, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, ward = excluded.ward, street = excluded.street,
                        latitude = excluded.latitude, longitude = excluded.longitude
                    """, arguments: [camera.id, camera.name, camera.ward, camera.street, camera.latitude, camera.longitude])
            }
        }
    }

    // MARK: - Daemon work state

    public func sourceFile(path: String) async throws -> SourceFile? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM source_file WHERE path = ?", arguments: [path]).map {
                SourceFile(path: $0["path"], camera: $0["camera_id"], sizeBytes: $0["size_bytes"],
                           modified: Self.date($0["modified_ms"]), state: SourceFile.State(rawValue: $0["state"]) ?? .pending,
                           reason: $0["reason"], attempts: $0["attempts"], recordingID: $0["recording_id"])
                    .counting(crashes: $0["crashes"])
            }
        }
    }

    public func notePending(path: String, camera: String, sizeBytes: Int64, modified: Date) async throws {
        try await write { db in
            let now = Self.millis(Date())
            try db.execute(sql: """
                INSERT INTO source_file (path, camera_id, size_bytes, modified_ms, state, attempts, first_seen_ms, updated_ms)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                ON CONFLICT(path) DO UPDATE SET camera_id = excluded.camera_id, size_bytes = excluded.size_bytes,
                    modified_ms = excluded.modified_ms, state = 'pending', reason = NULL, attempts = 0,
                    recording_id = NULL, updated_ms = excluded.updated_ms, crashes = 0
                """, arguments: [path, camera, sizeBytes, Self.millis(modified), now, now])
        }
    }

    public func markIndexing(path: String) async throws -> Int {
        try await write { db in
            try db.execute(sql: """
                UPDATE source_file SET state = 'indexing', attempts = attempts + 1, updated_ms = ? WHERE path = ?
                """, arguments: [Self.millis(Date()), path])
            return try Int.fetchOne(db, sql: "SELECT attempts FROM source_file WHERE path = ?", arguments: [path]) ?? 0
        }
    }

    public func markIndexed(path: String, recordingID: Int64) async throws {
        try await write { db in try Self.markSourceIndexed(db, path: path, recordingID: recordingID) }
    }

    public func markInterrupted(path: String) async throws {
        try await write { db in
            try db.execute(sql: """
                UPDATE source_file SET state = 'pending', attempts = max(0, attempts - 1), updated_ms = ?
                WHERE path = ? AND state = 'indexing'
                """, arguments: [Self.millis(Date()), path])
        }
    }

    public func markFailed(path: String, reason: String, final: Bool, alerts: [NewAlert]) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE source_file SET state = ?, reason = ?, updated_ms = ? WHERE path = ?",
                           arguments: [final ? "failed" : "pending", reason, Self.millis(Date()), path])
            try Self.queue(db, alerts)
        }
    }

    public func recoverInterruptedWork() async throws -> Int {
        try await write { db in
            // The interrupted attempt never finished, so it does not count against the file.
            try db.execute(sql: """
                UPDATE source_file SET state = 'pending', attempts = max(0, attempts - 1), updated_ms = ?
                WHERE state = 'indexing'
                """, arguments: [Self.millis(Date())])
            return db.changesCount
        }
    }

    public func lastFileSeen() async throws -> [String: Date] {
        try await read { db in
            var result: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT camera_id, max(first_seen_ms) AS seen FROM source_file GROUP BY camera_id") {
                result[row["camera_id"]] = Self.date(row["seen"])
            }
            return result
        }
    }

    // MARK: - Alert outbox

    public func undeliveredAlerts(limit: Int) async throws -> [PendingAlert] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert_outbox WHERE delivered_ms IS NULL ORDER BY sequence LIMIT ?
                """, arguments: [limit]).map {
                PendingAlert(sequence: $0["sequence"], alert: NewAlert(
                    alertID: $0["alert_id"], rule: $0["rule"], log: $0["log_path"], line: $0["line"]))
            }
        }
    }

    public func markDelivered(sequences: [Int64]) async throws {
        guard !sequences.isEmpty else { return }
        try await write { db in
            let now = Self.millis(Date())
            for sequence in sequences {
                try db.execute(sql: "UPDATE alert_outbox SET delivered_ms = ? WHERE sequence = ?", arguments: [now, sequence])
            }
        }
    }

    // MARK: - Access and audit

    public func addUser(_ user: User, tokenHash: String) async throws {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM app_user WHERE name = ?", arguments: [user.name]) == true {
                throw CatalogError(.constraint, "a user named '\(user.name)' exists already (revoke it or pick another name)")
            }
            try db.execute(sql: """
                INSERT INTO app_user (name, role, ward, token_hash, created_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, NULL)
                """, arguments: [user.name, user.role.rawValue, user.ward, tokenHash, Self.millis(user.created)])
        }
    }

    public func users() async throws -> [User] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM app_user ORDER BY name").map(Self.user(from:)) }
    }

    public func revokeUser(name: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE app_user SET revoked_ms = ? WHERE name = ? AND revoked_ms IS NULL",
                           arguments: [Self.millis(Date()), name])
            return db.changesCount > 0
        }
    }

    public func user(tokenHash: String) async throws -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM app_user WHERE token_hash = ? AND revoked_ms IS NULL",
                             arguments: [tokenHash]).map(Self.user(from:))
        }
    }

    @discardableResult
    public func appendAudit(_ entries: [NewAuditEntry], hash: @escaping @Sendable (String) -> String) async throws -> [AuditEntry] {
        guard !entries.isEmpty else { return [] }
        return try await write { db in try Self.appendAudit(db, entries, hash: hash) }
    }

    /// Appends audit entries inside the caller's transaction, so a change and its record commit together.
    static func appendAudit(_ db: Database, _ entries: [NewAuditEntry], hash: (String) -> String) throws -> [AuditEntry] {
        do {
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
                .map { (sequence: $0["sequence"] as Int64, hash: $0["hash"] as String) }
            let chained = AuditEntry.chained(entries, after: last, time: Date(), hash: hash)
            for entry in chained {
                try db.execute(sql: """
                    INSERT INTO audit (sequence, time_ms, actor, action, query, result_count, client, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [entry.sequence, Self.millis(entry.time), entry.actor, entry.action, entry.query,
                                     entry.resultCount, entry.client, entry.previousHash, entry.hash])
            }
            return chained
        }
    }

    public func auditEntries(actor: String?, action: String?, from: Date?, to: Date?) async throws -> [AuditEntry] {
        try await read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let actor { clauses.append("actor = ?"); arguments += [actor] }
            if let action { clauses.append("action = ?"); arguments += [action] }
            if let from { clauses.append("time_ms >= ?"); arguments += [Self.millis(from)] }
            if let to { clauses.append("time_ms < ?"); arguments += [Self.millis(to)] }
            let sql = "SELECT * FROM audit" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
                + " ORDER BY rowid"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                AuditEntry(sequence: $0["sequence"], time: Self.date($0["time_ms"]), actor: $0["actor"], action: $0["action"],
                           query: $0["query"], resultCount: $0["result_count"], client: $0["client"],
                           previousHash: $0["previous_hash"], hash: $0["hash"])
            }
        }
    }

    static func user(from row: Row) -> User {
        User(name: row["name"], role: AccessRole(rawValue: row["role"]) ?? .viewer, ward: row["ward"],
             created: date(row["created_ms"]), revoked: (row["revoked_ms"] as Int64?).map(date))
    }

    public func cameraStatus() async throws -> [CameraStatus] {
        try await read { db in
            var result: [String: CameraStatus] = [:]
            func entry(_ camera: String) -> CameraStatus {
                result[camera] ?? CameraStatus(camera: camera, files: [:], footageSeconds: 0, eventCount: 0, lastEvent: nil,
                                               lastRecordingEnd: nil, lastFileSeen: nil)
            }
            for id in try String.fetchAll(db, sql: "SELECT id FROM camera") { result[id] = entry(id) }
            for row in try Row.fetchAll(db, sql: """
                SELECT camera_id, state, count(*) AS n, max(first_seen_ms) AS seen FROM source_file GROUP BY camera_id, state
                """) {
                var status = entry(row["camera_id"])
                if let state = SourceFile.State(rawValue: row["state"]) { status.files[state] = row["n"] }
                let seen: Int64 = row["seen"]
                status.lastFileSeen = max(status.lastFileSeen ?? .distantPast, Self.date(seen))
                result[status.camera] = status
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT camera_id, max(footage) AS footage, max(last_end) AS last_end FROM (
                    SELECT camera_id, sum(duration_s) AS footage, max(start_ms + CAST(duration_s * 1000 AS INTEGER)) AS last_end
                    FROM recording GROUP BY camera_id, stream)
                GROUP BY camera_id
                """) {
                var status = entry(row["camera_id"])
                status.footageSeconds = row["footage"]
                status.lastRecordingEnd = (row["last_end"] as Int64?).map(Self.date)
                result[status.camera] = status
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT camera_id, health FROM recording r
                WHERE start_ms = (SELECT max(start_ms) FROM recording WHERE camera_id = r.camera_id)
                """) {
                var status = entry(row["camera_id"])
                let health: String = row["health"] ?? ""
                // A camera's two streams start together; only the decoded one has a health verdict.
                if health.isEmpty && !status.lastRecordingHealth.isEmpty { continue }
                status.lastRecordingHealth = StoredRow.health(health)
                result[status.camera] = status
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT camera_id, count(*) AS n FROM source_file WHERE state = 'failed' AND crashes > 0 GROUP BY camera_id
                """) {
                var status = entry(row["camera_id"])
                status.quarantined = row["n"]
                result[status.camera] = status
            }
            for (camera, problems) in try Self.sourceProblems(db) {
                var status = entry(camera)
                status.sourceProblems = problems
                result[camera] = status
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT camera_id, count(*) AS n, max(start_ms) AS last FROM event GROUP BY camera_id
                """) {
                var status = entry(row["camera_id"])
                status.eventCount = row["n"]
                status.lastEvent = (row["last"] as Int64?).map(Self.date)
                result[status.camera] = status
            }
            return result.values.sorted { $0.camera < $1.camera }
        }
    }

    // MARK: - Evidence custody and legal holds

    public func recordings(camera: String, overlappingFrom from: Date, to: Date) async throws -> [Recording] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM recording
                WHERE camera_id = ? AND start_ms < ? AND start_ms + CAST(duration_s * 1000 AS INTEGER) > ?
                ORDER BY start_ms, id
                """, arguments: [camera, Self.millis(to), Self.millis(from)]).map(Self.recording(from:))
        }
    }

    @discardableResult
    public func addCustodyRecord(_ new: NewCustodyRecord, holding eventIDs: [Int64], auditing: AuditedChange?) async throws
        -> CustodyRecord
    {
        try await write { db in
            let time = Self.millis(new.time)
            try db.execute(sql: """
                INSERT INTO custody (time_ms, case_id, action, actor, recipient, reason, bundle_path, manifest_sha256, event_ids)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [time, new.caseID, new.action.rawValue, new.actor, new.recipient, new.reason, new.bundlePath,
                                 new.manifestSHA256, new.eventIDs.map(String.init).joined(separator: ",")])
            let id = db.lastInsertedRowID
            for eventID in eventIDs {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM event WHERE id = ?", arguments: [eventID]) == true else {
                    throw CatalogError(.constraint, "catalog '\(path)': no event \(eventID) to put on legal hold")
                }
                try db.execute(sql: """
                    INSERT OR IGNORE INTO legal_hold (event_id, case_id, placed_ms, custody_id) VALUES (?, ?, ?, ?)
                    """, arguments: [eventID, new.caseID, time, id])
            }
            if let auditing { _ = try Self.appendAudit(db, [auditing.entry], hash: auditing.hash) }
            return CustodyRecord(id: id, time: Self.date(time), caseID: new.caseID, action: new.action, actor: new.actor,
                                 recipient: new.recipient, reason: new.reason, bundlePath: new.bundlePath,
                                 manifestSHA256: new.manifestSHA256, eventIDs: new.eventIDs)
        }
    }

    public func custodyRecords(caseID: String?) async throws -> [CustodyRecord] {
        try await read { db in
            let sql = "SELECT * FROM custody" + (caseID == nil ? "" : " WHERE case_id = ?") + " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(caseID.map { [$0] } ?? [])).map { row in
                let ids: String = row["event_ids"]
                return CustodyRecord(
                    id: row["id"], time: Self.date(row["time_ms"]), caseID: row["case_id"],
                    action: CustodyAction(rawValue: row["action"]) ?? .handoff, actor: row["actor"], recipient: row["recipient"],
                    reason: row["reason"], bundlePath: row["bundle_path"], manifestSHA256: row["manifest_sha256"],
                    eventIDs: ids.split(separator: ",").compactMap { Int64($0) })
            }
        }
    }

    public func isOnLegalHold(eventID: Int64) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM legal_hold WHERE event_id = ? LIMIT 1", arguments: [eventID]) == true
        }
    }

    public func legalHolds(caseID: String?) async throws -> [LegalHold] {
        try await read { db in
            let sql = "SELECT * FROM legal_hold" + (caseID == nil ? "" : " WHERE case_id = ?") + " ORDER BY event_id, case_id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(caseID.map { [$0] } ?? [])).map {
                LegalHold(eventID: $0["event_id"], caseID: $0["case_id"], placed: Self.date($0["placed_ms"]),
                          custodyID: $0["custody_id"])
            }
        }
    }

    // MARK: - Plumbing

    /// The camera's events whose time touches [from, to] (closed), with their recordings' bounds.
    private static func neighbours(_ db: Database, camera: String, from: Date, to: Date) throws -> [EventMerge.Neighbour] {
        let longest = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'max_event_ms'") ?? 0
        return try Row.fetchAll(db, sql: """
            SELECT \(eventColumns("e.")), r.start_ms AS r_start, r.start_ms + CAST(r.duration_s * 1000 AS INTEGER) AS r_end
            FROM event e JOIN recording r ON r.id = e.recording_id
            WHERE e.camera_id = ? AND e.start_ms BETWEEN ? AND ? AND e.end_ms >= ?
            ORDER BY e.start_ms, e.id
            """, arguments: [camera, millis(from) - longest, millis(to), millis(from)]).map { row in
            EventMerge.Neighbour(event: event(from: row), recordingStart: date(row["r_start"]), recordingEnd: date(row["r_end"]))
        }
    }

    /// Writes an existing event's new values (after a merge), keeping its id.
    private static func rewrite(_ db: Database, _ event: MotionEvent, recordingID: Int64) throws {
        try db.execute(sql: """
            UPDATE event SET start_ms = ?, end_ms = ?, recording_id = ?, offset_s = ?, clip_start_ms = ?, clip_end_ms = ?,
                peak_ms = ?, peak_score = ?, mean_score = ?, area = ?, bbox_x = ?, bbox_y = ?, bbox_w = ?, bbox_h = ?, still = ?
            WHERE id = ?
            """, arguments: [
                millis(event.start), millis(event.end), recordingID, event.offsetSeconds, millis(event.clipStart),
                millis(event.clipEnd), millis(event.peakTime), event.peakScore, event.meanScore, event.area,
                event.boundingBox.x, event.boundingBox.y, event.boundingBox.width, event.boundingBox.height, event.still, event.id,
            ])
    }

    private static func markSourceIndexed(_ db: Database, path: String, recordingID: Int64) throws {
        try db.execute(sql: """
            UPDATE source_file SET state = 'indexed', reason = NULL, recording_id = ?, updated_ms = ? WHERE path = ?
            """, arguments: [recordingID, millis(Date()), path])
    }

    /// Queues alerts; an alert id already queued (a retried commit) is ignored, never duplicated.
    static func queue(_ db: Database, _ alerts: [NewAlert]) throws {
        for alert in alerts {
            try db.execute(sql: """
                INSERT OR IGNORE INTO alert_outbox (alert_id, rule, log_path, line, created_ms) VALUES (?, ?, ?, ?, ?)
                """, arguments: [alert.alertID, alert.rule, alert.log, alert.line, millis(Date())])
        }
    }

    /// Reads on one of the pool's reader connections without holding the caller's thread.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        do { return try await pool.read(body) } catch let error as CatalogError { throw error } catch {
            throw CatalogError(wrapping: error, path: path)
        }
    }

    /// Reads on the calling thread: for query plans in tests and the synthetic bench data only.
    func readNow<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do { return try pool.read(body) } catch let error as CatalogError { throw error } catch {
            throw CatalogError(wrapping: error, path: path)
        }
    }

    /// One large write transaction with durability relaxed for its duration (synthetic data only).
    func writeInBulk(_ body: (Database) throws -> Void) throws(CatalogError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = OFF")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                try db.inTransaction {
                    try body(db)
                    return .commit
                }
            }
        } catch let error as CatalogError { throw error } catch { throw CatalogError(wrapping: error, path: path) }
    }

    /// One write transaction on the pool's writer, without holding the caller's thread.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        do { return try await pool.write(body) } catch let error as CatalogError { throw error } catch {
            throw CatalogError(wrapping: error, path: path)
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64(millisecondsSince1970: date) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func blob(_ values: [Float]) -> Data { values.withUnsafeBufferPointer { Data(buffer: $0) } }

    static func floats(_ data: Data) -> [Float] {
        data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static func recording(from row: Row) -> Recording {
        var recording = Recording(
            id: row["id"], fingerprint: row["fingerprint"], path: row["path"], camera: row["camera_id"],
            start: date(row["start_ms"]), startSource: StartSource(rawValue: row["start_source"]) ?? .modificationTime,
            durationSeconds: row["duration_s"], codec: row["codec"], width: row["width"], height: row["height"],
            frameRate: row["frame_rate"], frameCount: row["frame_count"], sizeBytes: row["size_bytes"],
            latitude: row["latitude"], longitude: row["longitude"], indexedAt: date(row["indexed_at_ms"]))
        recording.health = StoredRow.health(row["health"])
        recording.sha256 = row["sha256"]
        recording.sourceProblem = row["source_problem"]
        recording.stream = (row["stream"] as String?).flatMap(RecordingStream.init(rawValue:)) ?? .main
        return recording
    }

    /// The event columns in the order `event(from:)` reads them (`StoredRow.eventColumns`), then the movement columns.
    static func eventColumns(_ table: String = "") -> String { StoredRow.eventColumns(table) + ", " + movementColumns(table) }

    /// An event from a row that starts with `eventColumns()`. Read by position: a lookup by name
    /// lowercases and compares the row's column names each time, which dominated decoding a page
    /// of search results.
    static func event(from row: Row) -> MotionEvent {
        var event = MotionEvent(
            id: row[0], camera: row[1], recordingID: row[2], start: date(row[3]), end: date(row[4]), offsetSeconds: row[5],
            clipStart: date(row[6]), clipEnd: date(row[7]), peakTime: date(row[8]), peakScore: row[9], meanScore: row[10],
            area: row[11], boundingBox: NormalizedBox(x: row[12], y: row[13], width: row[14], height: row[15]),
            still: row[16])
        event.sourceStream = RecordingStream(rawValue: row[17]) ?? .main
        event.detectedRecordingID = row[18]
        readMovement(row, from: 19, into: &event)
        return event
    }
}
