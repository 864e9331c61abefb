import Catalog
import Foundation
import GRDB

// MARK: - Search

extension SQLiteCatalog {
    public func event(id: Int64) throws -> MotionEvent? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM event WHERE id = ?", arguments: [id]).map(Self.event(from:)) }
    }

    public func search(_ query: SearchQuery) throws -> SearchPage {
        let allCameras = try cameras()
        let admitted = query.admitted(allCameras)
        guard !admitted.isEmpty else { return SearchPage(hits: [], nextCursor: nil) }
        let byID = Dictionary(admitted.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func distance(_ camera: Camera) -> Double? {
            guard let near = query.near, let latitude = camera.latitude, let longitude = camera.longitude else { return nil }
            return near.distance(to: GeoPoint(latitude: latitude, longitude: longitude))
        }
        // Distance order ranks cameras nearest first; the rank leads the sort key and the cursor.
        let ranked = admitted.sorted { (distance($0) ?? .infinity, $0.id) < (distance($1) ?? .infinity, $1.id) }
        let rank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1.id, Int64($0)) })
        let byDistance = query.order == .distance && query.near != nil

        var clauses: [String] = []
        var arguments: StatementArguments = []
        if admitted.count < allCameras.count {
            clauses.append("e.camera_id IN (" + admitted.map { _ in "?" }.joined(separator: ",") + ")")
            for camera in admitted { arguments += [camera.id] }
        }
        let rankExpression = "CASE e.camera_id " + ranked.map { _ in "WHEN ? THEN ? " }.joined() + "END"
        var rankArguments: StatementArguments = []
        for camera in ranked { rankArguments += [camera.id, rank[camera.id]!] }
        return try read { db in
            try Self.overlap(db, from: query.from, to: query.to, table: "e.", clauses: &clauses, arguments: &arguments)
            if let score = query.minimumScore {
                clauses.append("e.peak_score >= ?")
                arguments += [score]
            }
            if let area = query.minimumArea {
                clauses.append("e.area >= ?")
                arguments += [area]
            }
            if let duration = query.minimumDurationSeconds {
                clauses.append("e.end_ms - e.start_ms >= ?")
                arguments += [Int64((duration * 1000).rounded())]
            }
            if let cursor = query.cursor {
                guard let parts = SearchCursor.decode(cursor), parts.count == (byDistance ? 3 : 2) else {
                    throw CatalogError(.invalidQuery, "cursor: not a cursor of this search (start again without it)")
                }
                if byDistance {
                    clauses.append("(\(rankExpression), e.start_ms, e.id) > (?, ?, ?)")
                    arguments += rankArguments
                } else {
                    clauses.append("(e.start_ms, e.id) > (?, ?)")
                }
                for part in parts { arguments += [part] }
            }
            // Two phases: choose the page's ids (from the covering index when only place and time
            // filter), then read just those rows.
            let where_ = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            let order = byDistance ? " ORDER BY \(rankExpression), e.start_ms, e.id" : " ORDER BY e.start_ms, e.id"
            let page = "SELECT e.id FROM event e" + where_ + order + " LIMIT ?"
            if byDistance { arguments += rankArguments }
            arguments += [query.limit + 1]
            let sql = "SELECT e.*, r.path AS recording_path FROM event e JOIN recording r ON r.id = e.recording_id"
                + " WHERE e.id IN (" + page + ")" + order
            if byDistance { arguments += rankArguments }
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let hits = rows.prefix(query.limit).compactMap { row -> SearchHit? in
                let event = Self.event(from: row)
                // A camera registered after the camera list was read is simply not in this page.
                guard let camera = byID[event.camera] else { return nil }
                return SearchHit(event: event, camera: camera, recordingPath: row["recording_path"], distanceMetres: distance(camera))
            }
            var next: String?
            if rows.count > query.limit, let last = hits.last {
                let key = [Self.millis(last.event.start), last.event.id]
                next = SearchCursor.encode(byDistance ? [rank[last.camera.id]!] + key : key)
            }
            return SearchPage(hits: hits, nextCursor: next)
        }
    }
}
