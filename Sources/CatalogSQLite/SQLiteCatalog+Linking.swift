import Catalog
import Foundation
import GRDB

extension SQLiteCatalog {
    // MARK: - Schema

    /// Incidents and tips share one `report` table (they share time, place, text and links); the
    /// kind-specific columns are NULL for the other kind. Descriptions are folded in Swift
    /// (`PlaceText.fold`, which also folds đ/Đ) before they reach the full-text index.
    static func createLinkingSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE report (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('incident', 'tip')),
                reference TEXT NOT NULL,
                -- incident category, or tip channel
                label TEXT NOT NULL,
                -- incident reported_at, or tip received_at
                received_ms INTEGER,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
                approximate_ms INTEGER,
                place_text TEXT, place_ward TEXT, place_street TEXT,
                latitude REAL, longitude REAL, uncertainty_m REAL,
                description TEXT NOT NULL,
                status TEXT CHECK (status IN ('open', 'closed')),
                case_number TEXT,
                reliability TEXT CHECK (reliability IN ('unrated', 'useful', 'not_useful')),
                incident_reference TEXT,
                reporter_contact TEXT,
                -- where linking placed it (NULL until linked)
                precision TEXT, cameras TEXT, point_latitude REAL, point_longitude REAL, unresolved_text TEXT,
                needs_linking INTEGER NOT NULL DEFAULT 1,
                revision INTEGER NOT NULL DEFAULT 1,
                imported_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL,
                UNIQUE (kind, reference)
            );
            CREATE INDEX report_time ON report(start_ms);
            CREATE INDEX report_awaiting_links ON report(id) WHERE needs_linking = 1;
            CREATE INDEX report_tip_incident ON report(incident_reference) WHERE kind = 'tip';
            CREATE VIRTUAL TABLE report_text USING fts5(folded, tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE event_link (
                report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
                event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
                camera_id TEXT NOT NULL,
                score REAL NOT NULL,
                distance_m REAL,
                gap_s REAL NOT NULL,
                reason TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('suggested', 'confirmed', 'rejected')),
                decided_by TEXT,
                decided_ms INTEGER,
                created_ms INTEGER NOT NULL,
                PRIMARY KEY (report_id, event_id)
            ) WITHOUT ROWID;
            CREATE INDEX event_link_event ON event_link(event_id);
            -- Recordings committed while there are reports wait here until linking has looked at them,
            -- so that a crash between a commit and its relinking loses nothing.
            CREATE TABLE recording_link_queue (
                recording_id INTEGER PRIMARY KEY REFERENCES recording(id) ON DELETE CASCADE
            );
            CREATE TRIGGER recording_awaits_links AFTER INSERT ON recording WHEN EXISTS (SELECT 1 FROM report)
                BEGIN INSERT OR IGNORE INTO recording_link_queue (recording_id) VALUES (NEW.id); END;
            -- The longest report window bounds time-overlap scans on report_time.
            INSERT INTO catalog_meta (key, value) VALUES ('max_report_window_ms', 0);
            """)
    }

    // MARK: - Import

    public func importIncidents(_ incidents: [Incident]) async throws -> [ImportOutcome] {
        try await write { db in
            try incidents.map { new in
                let existing = try Row.fetchOne(db, sql: "SELECT * FROM report WHERE kind = 'incident' AND reference = ?",
                                                arguments: [new.reference])
                if let existing, Self.incident(from: existing).sameReport(as: new) { return .unchanged(id: existing["id"]) }
                let id = try Self.upsertReport(db, kind: .incident, existingID: existing?["id"], values: [
                    "reference": new.reference, "label": new.category, "received_ms": new.reportedAt.map(Self.millis),
                    "description": new.description, "status": new.status.rawValue, "case_number": new.caseNumber,
                ], time: new.time, place: new.place, searchable: [new.reference, new.category, new.description])
                return existing == nil ? .inserted(id: id) : .updated(id: id)
            }
        }
    }

    public func importTips(_ tips: [Tip]) async throws -> [ImportOutcome] {
        try await write { db in
            try tips.map { new in
                let existing = try Row.fetchOne(db, sql: "SELECT * FROM report WHERE kind = 'tip' AND reference = ?",
                                                arguments: [new.reference])
                if let existing, Self.tip(from: existing).sameReport(as: new) { return .unchanged(id: existing["id"]) }
                // The contact is stored but never indexed for search.
                let id = try Self.upsertReport(db, kind: .tip, existingID: existing?["id"], values: [
                    "reference": new.reference, "label": new.channel, "received_ms": new.receivedAt.map(Self.millis),
                    "description": new.description, "reliability": new.reliability.rawValue,
                    "incident_reference": new.incidentReference, "reporter_contact": new.reporterContact,
                ], time: new.time, place: new.place, searchable: [new.reference, new.channel, new.description])
                return existing == nil ? .inserted(id: id) : .updated(id: id)
            }
        }
    }

    /// Inserts or updates one report row, marks it for linking, and refreshes its full-text entry.
    private static func upsertReport(_ db: Database, kind: ReportKind, existingID: Int64?, values: [String: (any DatabaseValueConvertible)?],
                                     time: ReportedTime, place: ReportedPlace, searchable: [String]) throws -> Int64 {
        let now = millis(Date())
        var columns: [String: (any DatabaseValueConvertible)?] = values
        columns["start_ms"] = millis(time.start)
        columns["end_ms"] = millis(time.end)
        columns["approximate_ms"] = time.approximate.map(millis)
        columns["place_text"] = place.text
        columns["place_ward"] = place.ward
        columns["place_street"] = place.street
        columns["latitude"] = place.point?.latitude
        columns["longitude"] = place.point?.longitude
        columns["uncertainty_m"] = place.uncertaintyMetres
        columns["needs_linking"] = 1
        columns["updated_ms"] = now
        let names = columns.keys.sorted()
        var arguments = StatementArguments(names.map { columns[$0]! })
        let id: Int64
        if let existingID {
            arguments += [existingID]
            try db.execute(sql: "UPDATE report SET " + names.map { "\($0) = ?" }.joined(separator: ", ")
                + ", revision = revision + 1 WHERE id = ?", arguments: arguments)
            id = existingID
        } else {
            arguments += [kind.rawValue, now]
            try db.execute(sql: "INSERT INTO report (" + names.joined(separator: ", ") + ", kind, imported_ms) VALUES ("
                + names.map { _ in "?" }.joined(separator: ", ") + ", ?, ?)", arguments: arguments)
            id = db.lastInsertedRowID
        }
        let text = PlaceText.fold((searchable + [place.text, place.street, place.ward].compactMap { $0 }).joined(separator: " "))
        try db.execute(sql: "DELETE FROM report_text WHERE rowid = ?", arguments: [id])
        try db.execute(sql: "INSERT INTO report_text (rowid, folded) VALUES (?, ?)", arguments: [id, text])
        try db.execute(sql: "UPDATE catalog_meta SET value = max(value, ?) WHERE key = 'max_report_window_ms'",
                       arguments: [millis(time.end) - millis(time.start)])
        return id
    }

    // MARK: - Listing

    public func incidents(matching filter: ReportFilter) async throws -> [Incident] {
        filter.finished(try await read { db in try Self.reportRows(db, kind: .incident, filter: filter).map(Self.incident(from:)) })
    }

    public func tips(matching filter: ReportFilter) async throws -> [Tip] {
        filter.finished(try await read { db in try Self.reportRows(db, kind: .tip, filter: filter).map(Self.tip(from:)) })
    }

    public func incident(id: Int64) async throws -> Incident? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM report WHERE kind = 'incident' AND id = ?", arguments: [id]).map(Self.incident(from:))
        }
    }

    public func incident(reference: String) async throws -> Incident? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM report WHERE kind = 'incident' AND reference = ?", arguments: [reference])
                .map(Self.incident(from:))
        }
    }

    private static func reportRows(_ db: Database, kind: ReportKind, filter: ReportFilter) throws -> [Row] {
        var clauses = ["kind = ?"]
        var arguments: StatementArguments = [kind.rawValue]
        if let status = filter.status, kind == .incident {
            clauses.append("status = ?")
            arguments += [status.rawValue]
        }
        if let channel = filter.channel, kind == .tip {
            clauses.append("label = ?")
            arguments += [channel]
        }
        if let reference = filter.incidentReference, kind == .tip {
            clauses.append("incident_reference = ?")
            arguments += [reference]
        }
        if let from = filter.from {
            let longest = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'max_report_window_ms'") ?? 0
            clauses.append("end_ms > ? AND start_ms >= ?")
            arguments += [millis(from), millis(from) - longest]
        }
        if let to = filter.to {
            clauses.append("start_ms < ?")
            arguments += [millis(to)]
        }
        if let text = filter.text {
            let words = PlaceText.foldedWords(text)
            guard !words.isEmpty else { return [] }
            // Folded words are letters and digits only, so quoting them is enough; each is a prefix.
            clauses.append("id IN (SELECT rowid FROM report_text WHERE report_text MATCH ?)")
            arguments += [words.map { "\"\($0)\"*" }.joined(separator: " ")]
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM report WHERE " + clauses.joined(separator: " AND ")
            + " ORDER BY start_ms, id", arguments: arguments)
    }

    // MARK: - Linking

    public func reportsAwaitingLinks(limit: Int) async throws -> [LinkSubject] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM report WHERE needs_linking = 1 ORDER BY id LIMIT ?", arguments: [limit])
                .map(Self.subject(from:))
        }
    }

    public func linkSubjects(overlappingFrom from: Date, to: Date, marginSeconds: Double) async throws -> [LinkSubject] {
        try await read { db in
            let margin = Int64(millisecondsOf: marginSeconds)
            let longest = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'max_report_window_ms'") ?? 0
            return try Row.fetchAll(db, sql: """
                SELECT * FROM report WHERE start_ms < ? AND start_ms >= ? AND end_ms > ? ORDER BY id
                """, arguments: [Self.millis(to) + margin, Self.millis(from) - margin - longest, Self.millis(from) - margin])
                .map(Self.subject(from:))
        }
    }

    @discardableResult
    public func saveLinks(for subject: LinkSubject, resolution: PlaceResolution,
                          plan decide: @escaping @Sendable ([EventLink]) -> LinkPlan) async throws -> LinkPlan {
        try await write { db in
            let stored = try Row.fetchAll(db, sql: "SELECT * FROM event_link WHERE report_id = ?", arguments: [subject.id])
                .map { row in
                    var link = Self.link(from: row)
                    link.kind = subject.kind
                    return link
                }
            let plan = decide(stored)
            for link in plan.updated {
                try db.execute(sql: """
                    UPDATE event_link SET score = ?, distance_m = ?, gap_s = ?, reason = ? WHERE report_id = ? AND event_id = ?
                    """, arguments: [link.score, link.distanceMetres, link.gapSeconds, link.reason, subject.id, link.eventID])
            }
            for eventID in plan.removed {
                try db.execute(sql: "DELETE FROM event_link WHERE report_id = ? AND event_id = ?", arguments: [subject.id, eventID])
            }
            let now = Self.millis(Date())
            for link in plan.added {
                try db.execute(sql: """
                    INSERT INTO event_link (report_id, event_id, camera_id, score, distance_m, gap_s, reason, state, created_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [subject.id, link.eventID, link.camera, link.score, link.distanceMetres, link.gapSeconds,
                                     link.reason, link.state.rawValue, now])
            }
            try Self.queue(db, plan.alerts)
            // A report changed since `subject` was read keeps its mark and is linked again.
            try db.execute(sql: """
                UPDATE report SET precision = ?, cameras = ?, point_latitude = ?, point_longitude = ?, unresolved_text = ?,
                    needs_linking = CASE WHEN revision = ? THEN 0 ELSE needs_linking END
                WHERE id = ?
                """, arguments: [resolution.precision.rawValue, resolution.cameras.joined(separator: ","),
                                 resolution.point?.latitude, resolution.point?.longitude, resolution.unresolvedText,
                                 subject.revision, subject.id])
            return plan
        }
    }

    public func linkedEvents(kind: ReportKind, reportID: Int64) async throws -> [LinkedEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.eventColumns("e.")), l.*, r.path AS recording_path
                FROM event_link l JOIN report p ON p.id = l.report_id JOIN event e ON e.id = l.event_id
                    JOIN recording r ON r.id = e.recording_id
                WHERE l.report_id = ? AND p.kind = ?
                ORDER BY l.score DESC, abs(l.gap_s), l.event_id
                """, arguments: [reportID, kind.rawValue]).map { row in
                var link = Self.link(from: row)
                link.kind = kind
                return LinkedEvent(link: link, event: Self.event(from: row), recordingPath: row["recording_path"])
            }
        }
    }

    public func decideLink(kind: ReportKind, reportID: Int64, eventID: Int64, state: LinkState, by person: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: """
                UPDATE event_link SET state = ?, decided_by = ?, decided_ms = ?
                WHERE report_id = ? AND event_id = ? AND report_id IN (SELECT id FROM report WHERE kind = ?)
                """, arguments: [state.rawValue, person, Self.millis(Date()), reportID, eventID, kind.rawValue])
            return db.changesCount > 0
        }
    }

    public func recordingsAwaitingLinks(limit: Int) async throws -> [Recording] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.* FROM recording_link_queue q JOIN recording r ON r.id = q.recording_id ORDER BY q.recording_id LIMIT ?
                """, arguments: [limit]).map(Self.recording(from:))
        }
    }

    public func markRecordingsLinked(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await write { db in
            for id in ids { try db.execute(sql: "DELETE FROM recording_link_queue WHERE recording_id = ?", arguments: [id]) }
        }
    }

    // MARK: - Rows

    static func time(from row: Row) -> ReportedTime {
        let start = date(row["start_ms"]), end = date(row["end_ms"])
        if let approximate = (row["approximate_ms"] as Int64?).map(date) {
            var time = ReportedTime(around: approximate, uncertaintySeconds: 0)
            (time.start, time.end) = (start, end)
            return time
        }
        return ReportedTime(from: start, to: end)
    }

    static func place(from row: Row) -> ReportedPlace {
        let latitude: Double? = row["latitude"], longitude: Double? = row["longitude"]
        return ReportedPlace(
            text: row["place_text"], ward: row["place_ward"], street: row["place_street"],
            point: latitude.flatMap { latitude in longitude.map { GeoPoint(latitude: latitude, longitude: $0) } },
            uncertaintyMetres: row["uncertainty_m"])
    }

    static func resolution(from row: Row) -> PlaceResolution? {
        guard let precision = (row["precision"] as String?).flatMap(PlacePrecision.init(rawValue:)) else { return nil }
        let cameras: String = row["cameras"] ?? ""
        let latitude: Double? = row["point_latitude"], longitude: Double? = row["point_longitude"]
        return PlaceResolution(
            precision: precision, cameras: cameras.split(separator: ",").map(String.init),
            point: latitude.flatMap { latitude in longitude.map { GeoPoint(latitude: latitude, longitude: $0) } },
            unresolvedText: row["unresolved_text"])
    }

    static func incident(from row: Row) -> Incident {
        Incident(id: row["id"], reference: row["reference"], category: row["label"],
                 reportedAt: (row["received_ms"] as Int64?).map(date), time: time(from: row), place: place(from: row),
                 description: row["description"], status: IncidentStatus(rawValue: row["status"] ?? "") ?? .open,
                 caseNumber: row["case_number"], resolution: resolution(from: row))
    }

    static func tip(from row: Row) -> Tip {
        Tip(id: row["id"], reference: row["reference"], receivedAt: (row["received_ms"] as Int64?).map(date),
            channel: row["label"], time: time(from: row), place: place(from: row), description: row["description"],
            reliability: TipReliability(rawValue: row["reliability"] ?? "") ?? .unrated,
            incidentReference: row["incident_reference"], reporterContact: row["reporter_contact"],
            resolution: resolution(from: row))
    }

    static func subject(from row: Row) -> LinkSubject {
        let kind = ReportKind(rawValue: row["kind"]) ?? .tip
        return LinkSubject(kind: kind, id: row["id"], reference: row["reference"], time: time(from: row), place: place(from: row),
                           status: (row["status"] as String?).flatMap(IncidentStatus.init(rawValue:)),
                           label: row["label"], revision: row["revision"])
    }

    /// A link row; its kind is the caller's to set (the row does not carry it).
    static func link(from row: Row) -> EventLink {
        EventLink(kind: .incident, reportID: row["report_id"], eventID: row["event_id"], camera: row["camera_id"],
                  score: row["score"], distanceMetres: row["distance_m"], gapSeconds: row["gap_s"], reason: row["reason"],
                  state: LinkState(rawValue: row["state"]) ?? .suggested, decidedBy: row["decided_by"],
                  decidedAt: (row["decided_ms"] as Int64?).map(date))
    }
}
