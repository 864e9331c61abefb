import Catalog
import Foundation
import PostgresNIO

// MARK: - Incidents, tips and their links
//
// The same `report` table as in SQLite; the folded text (letters and digits only, no diacritics) lives in a column
// with a GIN index on its `simple` text-search vector, and each searched word is a prefix (`word:*`), as with FTS5.

extension PostgresCatalog {
    public func importIncidents(_ incidents: [Incident]) async throws(CatalogError) -> [ImportOutcome] {
        try await call {
            try await transaction { connection in
                var outcomes: [ImportOutcome] = []
                for new in incidents {
                    let existing = try await rows("""
                        SELECT * FROM report WHERE kind = 'incident' AND reference = \(new.reference) FOR UPDATE
                        """, on: connection).first
                    if let existing, try Self.incident(from: existing).sameReport(as: new) {
                        outcomes.append(.unchanged(id: try existing.get("id")))
                        continue
                    }
                    var values = ReportValues(kind: .incident, reference: new.reference, label: new.category,
                                              received: new.reportedAt, description: new.description, time: new.time, place: new.place)
                    values.status = new.status.rawValue
                    values.caseNumber = new.caseNumber
                    let id = try await upsertReport(connection, existingID: try existing?.get("id", as: Int64.self), values: values,
                                                    searchable: [new.reference, new.category, new.description])
                    outcomes.append(existing == nil ? .inserted(id: id) : .updated(id: id))
                }
                return outcomes
            }
        }
    }

    public func importTips(_ tips: [Tip]) async throws(CatalogError) -> [ImportOutcome] {
        try await call {
            try await transaction { connection in
                var outcomes: [ImportOutcome] = []
                for new in tips {
                    let existing = try await rows("""
                        SELECT * FROM report WHERE kind = 'tip' AND reference = \(new.reference) FOR UPDATE
                        """, on: connection).first
                    if let existing, try Self.tip(from: existing).sameReport(as: new) {
                        outcomes.append(.unchanged(id: try existing.get("id")))
                        continue
                    }
                    // The contact is stored but never indexed for search.
                    var values = ReportValues(kind: .tip, reference: new.reference, label: new.channel, received: new.receivedAt,
                                              description: new.description, time: new.time, place: new.place)
                    values.reliability = new.reliability.rawValue
                    values.incidentReference = new.incidentReference
                    values.reporterContact = new.reporterContact
                    let id = try await upsertReport(connection, existingID: try existing?.get("id", as: Int64.self), values: values,
                                                    searchable: [new.reference, new.channel, new.description])
                    outcomes.append(existing == nil ? .inserted(id: id) : .updated(id: id))
                }
                return outcomes
            }
        }
    }

    /// The columns of one report row that an import writes.
    struct ReportValues {
        var kind: ReportKind
        var reference: String
        var label: String
        var received: Date?
        var description: String
        var time: ReportedTime
        var place: ReportedPlace
        var status: String?
        var caseNumber: String?
        var reliability: String?
        var incidentReference: String?
        var reporterContact: String?
    }

    private func upsertReport(_ connection: PostgresConnection, existingID: Int64?, values v: ReportValues,
                              searchable: [String]) async throws -> Int64 {
        let now = Self.now
        let folded = PlaceText.fold((searchable + [v.place.text, v.place.street, v.place.ward].compactMap { $0 }).joined(separator: " "))
        let start = Self.millis(v.time.start), end = Self.millis(v.time.end)
        let id: Int64
        if let existingID {
            try await execute("""
                UPDATE report SET reference = \(v.reference), label = \(v.label), received_ms = \(v.received.map(Self.millis)),
                    start_ms = \(start), end_ms = \(end), approximate_ms = \(v.time.approximate.map(Self.millis)),
                    place_text = \(v.place.text), place_ward = \(v.place.ward), place_street = \(v.place.street),
                    latitude = \(v.place.point?.latitude), longitude = \(v.place.point?.longitude),
                    uncertainty_m = \(v.place.uncertaintyMetres), description = \(v.description), status = \(v.status),
                    case_number = \(v.caseNumber), reliability = \(v.reliability), incident_reference = \(v.incidentReference),
                    reporter_contact = \(v.reporterContact), needs_linking = true, updated_ms = \(now), folded = \(folded),
                    revision = revision + 1
                WHERE id = \(existingID)
                """, on: connection)
            id = existingID
        } else {
            id = try await rows("""
                INSERT INTO report (kind, reference, label, received_ms, start_ms, end_ms, approximate_ms, place_text, place_ward,
                    place_street, latitude, longitude, uncertainty_m, description, status, case_number, reliability,
                    incident_reference, reporter_contact, needs_linking, imported_ms, updated_ms, folded)
                VALUES (\(v.kind.rawValue), \(v.reference), \(v.label), \(v.received.map(Self.millis)), \(start), \(end),
                    \(v.time.approximate.map(Self.millis)), \(v.place.text), \(v.place.ward), \(v.place.street),
                    \(v.place.point?.latitude), \(v.place.point?.longitude), \(v.place.uncertaintyMetres), \(v.description),
                    \(v.status), \(v.caseNumber), \(v.reliability), \(v.incidentReference), \(v.reporterContact), true, \(now),
                    \(now), \(folded))
                RETURNING id
                """, on: connection)[0].get("id", as: Int64.self)
        }
        try await execute("""
            UPDATE catalog_meta SET value = \(end - start) WHERE key = 'max_report_window_ms' AND value < \(end - start)
            """, on: connection)
        return id
    }

    // MARK: - Listing

    public func incidents(matching filter: ReportFilter) async throws(CatalogError) -> [Incident] {
        try await call {
            filter.finished(try await reportRows(kind: .incident, filter: filter).map(Self.incident(from:)))
        }
    }

    public func tips(matching filter: ReportFilter) async throws(CatalogError) -> [Tip] {
        try await call { filter.finished(try await reportRows(kind: .tip, filter: filter).map(Self.tip(from:))) }
    }

    public func incident(id: Int64) async throws(CatalogError) -> Incident? {
        try await call { try await rows("SELECT * FROM report WHERE kind = 'incident' AND id = \(id)").first.map(Self.incident(from:)) }
    }

    public func incident(reference: String) async throws(CatalogError) -> Incident? {
        try await call {
            try await rows("SELECT * FROM report WHERE kind = 'incident' AND reference = \(reference)").first.map(Self.incident(from:))
        }
    }

    private func reportRows(kind: ReportKind, filter: ReportFilter) async throws -> [PostgresRandomAccessRow] {
        var binds = PostgresBindings()
        func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String { binds.append(value); return "$\(binds.count)" }
        var clauses = ["kind = \(bind(kind.rawValue))"]
        if let status = filter.status, kind == .incident { clauses.append("status = \(bind(status.rawValue))") }
        if let channel = filter.channel, kind == .tip { clauses.append("label = \(bind(channel))") }
        if let reference = filter.incidentReference, kind == .tip { clauses.append("incident_reference = \(bind(reference))") }
        if let from = filter.from {
            let longest = try await rows("SELECT value FROM catalog_meta WHERE key = 'max_report_window_ms'").first?
                .get("value", as: Int64.self) ?? 0
            clauses.append("end_ms > \(bind(Self.millis(from))) AND start_ms >= \(bind(Self.millis(from) - longest))")
        }
        if let to = filter.to { clauses.append("start_ms < \(bind(Self.millis(to)))") }
        if let text = filter.text {
            let words = PlaceText.foldedWords(text)
            guard !words.isEmpty else { return [] }
            // Folded words are letters and digits only, so they need no quoting in a tsquery; each is a prefix.
            clauses.append("to_tsvector('simple', folded) @@ to_tsquery('simple', \(bind(words.map { $0 + ":*" }.joined(separator: " & "))))")
        }
        return try await rows(PostgresQuery(
            unsafeSQL: "SELECT * FROM report WHERE " + clauses.joined(separator: " AND ") + " ORDER BY start_ms, id", binds: binds))
    }

    // MARK: - Linking

    public func reportsAwaitingLinks(limit: Int) async throws(CatalogError) -> [LinkSubject] {
        try await call { try await rows("SELECT * FROM report WHERE needs_linking ORDER BY id LIMIT \(limit)").map(Self.subject(from:)) }
    }

    public func linkSubjects(overlappingFrom from: Date, to: Date, marginSeconds: Double) async throws(CatalogError) -> [LinkSubject] {
        try await call {
            let margin = Int64((marginSeconds * 1000).rounded())
            let longest = try await rows("SELECT value FROM catalog_meta WHERE key = 'max_report_window_ms'").first?
                .get("value", as: Int64.self) ?? 0
            return try await rows("""
                SELECT * FROM report WHERE start_ms < \(Self.millis(to) + margin) AND start_ms >= \(Self.millis(from) - margin - longest)
                    AND end_ms > \(Self.millis(from) - margin)
                ORDER BY id
                """).map(Self.subject(from:))
        }
    }

    @discardableResult
    public func saveLinks(for subject: LinkSubject, resolution: PlaceResolution,
                          plan decide: @escaping @Sendable ([EventLink]) -> LinkPlan) async throws(CatalogError) -> LinkPlan {
        try await call {
            try await transaction { connection in
                // Locking the report's row makes two nodes linking the same report take turns.
                try await execute("SELECT 1 FROM report WHERE id = \(subject.id) FOR UPDATE", on: connection)
                let stored = try await rows("SELECT * FROM event_link WHERE report_id = \(subject.id)", on: connection).map { row in
                    var link = try Self.link(from: row)
                    link.kind = subject.kind
                    return link
                }
                let plan = decide(stored)
                for link in plan.updated {
                    try await execute("""
                        UPDATE event_link SET score = \(link.score), distance_m = \(link.distanceMetres), gap_s = \(link.gapSeconds),
                            reason = \(link.reason)
                        WHERE report_id = \(subject.id) AND event_id = \(link.eventID)
                        """, on: connection)
                }
                for eventID in plan.removed {
                    try await execute("DELETE FROM event_link WHERE report_id = \(subject.id) AND event_id = \(eventID)", on: connection)
                }
                let now = Self.now
                for link in plan.added {
                    try await execute("""
                        INSERT INTO event_link (report_id, event_id, camera_id, score, distance_m, gap_s, reason, state, created_ms)
                        VALUES (\(subject.id), \(link.eventID), \(link.camera), \(link.score), \(link.distanceMetres), \(link.gapSeconds),
                            \(link.reason), \(link.state.rawValue), \(now))
                        """, on: connection)
                }
                try await Self.queue(connection, self, plan.alerts)
                // A report changed since `subject` was read keeps its mark and is linked again.
                try await execute("""
                    UPDATE report SET precision = \(resolution.precision.rawValue), cameras = \(resolution.cameras.joined(separator: ",")),
                        point_latitude = \(resolution.point?.latitude), point_longitude = \(resolution.point?.longitude),
                        unresolved_text = \(resolution.unresolvedText),
                        needs_linking = CASE WHEN revision = \(subject.revision) THEN false ELSE needs_linking END
                    WHERE id = \(subject.id)
                    """, on: connection)
                return plan
            }
        }
    }

    public func linkedEvents(kind: ReportKind, reportID: Int64) async throws(CatalogError) -> [LinkedEvent] {
        try await call {
            try await rows("""
                SELECT \(unescaped: Self.eventColumns("e.")), l.report_id, l.event_id, l.camera_id AS link_camera_id, l.score,
                    l.distance_m, l.gap_s, l.reason, l.state, l.decided_by, l.decided_ms, r.path AS recording_path
                FROM event_link l JOIN report p ON p.id = l.report_id JOIN event e ON e.id = l.event_id
                    JOIN recording r ON r.id = e.recording_id
                WHERE l.report_id = \(reportID) AND p.kind = \(kind.rawValue)
                ORDER BY l.score DESC, abs(l.gap_s), l.event_id
                """).map { row in
                var link = try Self.link(from: row, cameraColumn: "link_camera_id")
                link.kind = kind
                return LinkedEvent(link: link, event: try Self.event(from: row), recordingPath: local(try row.get("recording_path")))
            }
        }
    }

    public func decideLink(kind: ReportKind, reportID: Int64, eventID: Int64, state: LinkState, by person: String) async throws(CatalogError)
        -> Bool {
        try await call {
            try await !rows("""
                UPDATE event_link SET state = \(state.rawValue), decided_by = \(person), decided_ms = \(Self.now)
                WHERE report_id = \(reportID) AND event_id = \(eventID)
                    AND report_id IN (SELECT id FROM report WHERE kind = \(kind.rawValue))
                RETURNING event_id
                """).isEmpty
        }
    }

    public func recordingsAwaitingLinks(limit: Int) async throws(CatalogError) -> [Recording] {
        try await call {
            try await rows("""
                SELECT r.* FROM recording_link_queue q JOIN recording r ON r.id = q.recording_id ORDER BY q.recording_id LIMIT \(limit)
                """).map(recording(from:))
        }
    }

    public func markRecordingsLinked(_ ids: [Int64]) async throws(CatalogError) {
        guard !ids.isEmpty else { return }
        try await call { try await rows("DELETE FROM recording_link_queue WHERE recording_id = ANY(\(ids))") }
    }

    // MARK: - Rows

    static func time(from row: PostgresRandomAccessRow) throws -> ReportedTime {
        let start = date(try row.get("start_ms")), end = date(try row.get("end_ms"))
        if let approximate = try row.get("approximate_ms", as: Int64?.self).map(date) {
            var time = ReportedTime(around: approximate, uncertaintySeconds: 0)
            (time.start, time.end) = (start, end)
            return time
        }
        return ReportedTime(from: start, to: end)
    }

    static func place(from row: PostgresRandomAccessRow) throws -> ReportedPlace {
        let latitude = try row.get("latitude", as: Double?.self), longitude = try row.get("longitude", as: Double?.self)
        return ReportedPlace(
            text: try row.get("place_text"), ward: try row.get("place_ward"), street: try row.get("place_street"),
            point: latitude.flatMap { latitude in longitude.map { GeoPoint(latitude: latitude, longitude: $0) } },
            uncertaintyMetres: try row.get("uncertainty_m"))
    }

    static func resolution(from row: PostgresRandomAccessRow) throws -> PlaceResolution? {
        guard let precision = try row.get("precision", as: String?.self).flatMap(PlacePrecision.init(rawValue:)) else { return nil }
        let cameras = try row.get("cameras", as: String?.self) ?? ""
        let latitude = try row.get("point_latitude", as: Double?.self), longitude = try row.get("point_longitude", as: Double?.self)
        return PlaceResolution(
            precision: precision, cameras: cameras.split(separator: ",").map(String.init),
            point: latitude.flatMap { latitude in longitude.map { GeoPoint(latitude: latitude, longitude: $0) } },
            unresolvedText: try row.get("unresolved_text"))
    }

    static func incident(from row: PostgresRandomAccessRow) throws -> Incident {
        Incident(id: try row.get("id"), reference: try row.get("reference"), category: try row.get("label"),
                 reportedAt: try row.get("received_ms", as: Int64?.self).map(date), time: try time(from: row),
                 place: try place(from: row), description: try row.get("description"),
                 status: IncidentStatus(rawValue: try row.get("status", as: String?.self) ?? "") ?? .open,
                 caseNumber: try row.get("case_number"), resolution: try resolution(from: row))
    }

    static func tip(from row: PostgresRandomAccessRow) throws -> Tip {
        Tip(id: try row.get("id"), reference: try row.get("reference"), receivedAt: try row.get("received_ms", as: Int64?.self).map(date),
            channel: try row.get("label"), time: try time(from: row), place: try place(from: row), description: try row.get("description"),
            reliability: TipReliability(rawValue: try row.get("reliability", as: String?.self) ?? "") ?? .unrated,
            incidentReference: try row.get("incident_reference"), reporterContact: try row.get("reporter_contact"),
            resolution: try resolution(from: row))
    }

    static func subject(from row: PostgresRandomAccessRow) throws -> LinkSubject {
        let kind = ReportKind(rawValue: try row.get("kind")) ?? .tip
        let status = try row.get("status", as: String?.self)
        return LinkSubject(kind: kind, id: try row.get("id"), reference: try row.get("reference"), time: try time(from: row),
                           place: try place(from: row),
                           status: status.flatMap(IncidentStatus.init(rawValue:)),
                           label: try row.get("label"), revision: try row.get("revision"))
    }

    /// A link row; its kind is the caller's to set (the row does not carry it).
    static func link(from row: PostgresRandomAccessRow, cameraColumn: String = "camera_id") throws -> EventLink {
        EventLink(kind: .incident, reportID: try row.get("report_id"), eventID: try row.get("event_id"), camera: try row.get(cameraColumn),
                  score: try row.get("score"), distanceMetres: try row.get("distance_m"), gapSeconds: try row.get("gap_s"),
                  reason: try row.get("reason"), state: LinkState(rawValue: try row.get("state")) ?? .suggested,
                  decidedBy: try row.get("decided_by"), decidedAt: try row.get("decided_ms", as: Int64?.self).map(date))
    }
}
