import Catalog
import Foundation
import PostgresNIO

// MARK: - Search
//
// The same contract as the SQLite catalog's search (same pages, same order, same cursors), so a cursor and a
// page mean the same on both. Place filters choose cameras in Swift (`SearchQuery.admitted`); the database chooses
// the page's events from one of the two event indexes:
// - few cameras admitted: each camera's next events from `event_camera_time`, merged by the server in one
//   statement (`unnest` + `LATERAL` + `LIMIT`), so the work grows with cameras × page, not with the time range;
// - most cameras admitted: one scan of `event_start` in time order that skips other cameras' events;
// - distance order: cameras nearest first, each one's events in time order, until the page is full.

extension PostgresCatalog {
    typealias EventKey = Catalog.EventKey
    typealias EventFilter = EventBounds

    public func search(_ query: SearchQuery) async throws(CatalogError) -> SearchPage {
        let plan = try SearchPlan(query)
        return try await call {
            let all = try await cachedCameras()
            let admitted = query.admitted(all)
            guard !admitted.isEmpty else { return SearchPage(hits: [], nextCursor: nil) }
            let longest = query.from == nil ? 0 : try await maxEventMillis()
            let filter = plan.bounds { longest }
            // One event more than the page says whether there is a next page.
            var keys: [EventKey]
            var ranks: [Int] = []
            let after = plan.after, count = plan.limit + 1
            switch plan.path(admitted: admitted.count, of: all.count) {
            case .nearestCameras:
                (keys, ranks) = try await nearestKeys(ranked: plan.ranked(admitted), after: (plan.afterRank, after), filter: filter,
                                                      count: count)
            case .mergeCameras:
                keys = try await mergedKeys(cameras: admitted.map(\.id), filter: filter, after: after, count: count)
            case .timeScan:
                keys = try await scannedKeys(cameras: admitted.count < all.count ? admitted.map(\.id) : nil, filter: filter,
                                             after: after, count: count)
            }
            let events = try await pageEvents(ids: plan.pageKeys(keys).map(\.id))
            return plan.page(found: keys, ranks: ranks, cameras: admitted, events: events)
        }
    }

    /// Time order over a few cameras: each camera's first `count` keys, merged and cut by the server.
    func mergedKeys(cameras: [String], filter: EventFilter, after: EventKey?, count: Int) async throws -> [EventKey] {
        guard count > 0, !cameras.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(cameras)
        let clauses = filter.conditions(table: "e.", after: after, binds: &binds)
        binds.append(count)
        let sql = """
            SELECT k.start_ms, k.id FROM unnest($1::text[]) AS c(id)
            CROSS JOIN LATERAL (
                SELECT e.start_ms, e.id FROM event e
                WHERE e.camera_id = c.id\(clauses.map { " AND " + $0 }.joined())
                ORDER BY e.start_ms, e.id LIMIT $\(binds.count)) k
            ORDER BY k.start_ms, k.id LIMIT $\(binds.count)
            """
        return try await keys(PostgresQuery(unsafeSQL: sql, binds: binds))
    }

    /// Time order over most cameras: one scan of `event_start`, skipping cameras not in `cameras` (nil: all).
    func scannedKeys(cameras: [String]?, filter: EventFilter, after: EventKey?, count: Int) async throws -> [EventKey] {
        var binds = PostgresBindings()
        var clauses = filter.conditions(after: after, binds: &binds)
        if let cameras {
            binds.append(cameras)
            clauses.append("camera_id = ANY($\(binds.count)::text[])")
        }
        binds.append(count)
        let sql = "SELECT start_ms, id FROM event" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY start_ms, id LIMIT $\(binds.count)"
        return try await keys(PostgresQuery(unsafeSQL: sql, binds: binds))
    }

    /// Distance order: cameras nearest first, each one's events in time order, until `count` keys.
    func nearestKeys(ranked: [String], after: (rank: Int, key: EventKey?), filter: EventFilter,
                     count: Int) async throws -> (keys: [EventKey], ranks: [Int]) {
        var keys: [EventKey] = []
        var ranks: [Int] = []
        var rank = max(0, after.rank)
        while rank < ranked.count, keys.count < count {
            var binds = PostgresBindings()
            binds.append(ranked[rank])
            let clauses = filter.conditions(after: rank == after.rank ? after.key : nil, binds: &binds)
            binds.append(count - keys.count)
            let sql = "SELECT start_ms, id FROM event WHERE camera_id = $1" + clauses.map { " AND " + $0 }.joined()
                + " ORDER BY start_ms, id LIMIT $\(binds.count)"
            let found = try await self.keys(PostgresQuery(unsafeSQL: sql, binds: binds))
            keys += found
            ranks += Array(repeating: rank, count: found.count)
            rank += 1
        }
        return (keys, ranks)
    }

    private func keys(_ query: PostgresQuery) async throws -> [EventKey] {
        var keys: [EventKey] = []
        for try await (start, id) in try await client.query(query, logger: logger).decode((Int64, Int64).self) {
            keys.append(EventKey(start: start, id: id))
        }
        return keys
    }

    /// The page's events in full, with their recording's path, by id.
    func pageEvents(ids: [Int64]) async throws -> [Int64: (event: MotionEvent, recordingPath: String)] {
        guard !ids.isEmpty else { return [:] }
        var events: [Int64: (event: MotionEvent, recordingPath: String)] = [:]
        for row in try await rows("""
            SELECT \(unescaped: Self.eventColumns("e.")), r.path FROM event e JOIN recording r ON r.id = e.recording_id
            WHERE e.id = ANY(\(ids))
            """) {
            let event = try Self.event(from: row)
            // By position: the event's own columns include its movement `path`, not the recording's.
            events[event.id] = (event, local(try row.get(Self.eventColumnCount)))
        }
        return events
    }

    /// PostgreSQL's plan for a search statement (tests check that searches use the event indexes).
    func queryPlan(_ query: PostgresQuery) async throws -> [String] {
        try await rows(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)).map { try $0.get(0, as: String.self) }
    }
}

extension EventBounds {
    /// SQL conditions on `table` ("e." or ""), for the events after `after` in time order; binds appended.
    func conditions(table: String = "", after: EventKey? = nil, binds: inout PostgresBindings) -> [String] {
        var clauses: [String] = []
        func bind(_ value: Int64) -> String { binds.append(value); return "$\(binds.count)" }
        func bind(_ value: Double) -> String { binds.append(value); return "$\(binds.count)" }
        if let endsAfter { clauses.append("\(table)end_ms > \(bind(endsAfter))") }
        if let lowest = lowestStart(after: after) { clauses.append("\(table)start_ms >= \(bind(lowest))") }
        if let startsBefore { clauses.append("\(table)start_ms < \(bind(startsBefore))") }
        if let after { clauses.append("(\(table)start_ms, \(table)id) > (\(bind(after.start)), \(bind(after.id)))") }
        if let minimumScore { clauses.append("\(table)peak_score >= \(bind(minimumScore))") }
        if let minimumArea { clauses.append("\(table)area >= \(bind(minimumArea))") }
        if let minimumDuration { clauses.append("\(table)end_ms - \(table)start_ms >= \(bind(minimumDuration))") }
        clauses += Self.movementConditions(table: table, region: region, direction: direction, binds: &binds)
        return clauses
    }
}
