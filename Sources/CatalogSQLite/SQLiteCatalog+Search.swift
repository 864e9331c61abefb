import Catalog
import Foundation
import GRDB

// MARK: - Search

extension SQLiteCatalog {
    public func event(id: Int64) async throws -> MotionEvent? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.eventColumns()) FROM event WHERE id = ?", arguments: [id])
                .map(Self.event(from:))
        }
    }

    /// How the events of a page are chosen (the rule is the domain's: `SearchPlan.Path`).
    typealias SearchPath = SearchPlan.Path
    typealias EventKey = Catalog.EventKey
    typealias EventFilter = EventBounds

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        try await search(query, timeOrderPath: nil)
    }

    /// - Parameter forced: the path for a time-ordered page instead of the cheaper one (tests compare
    ///   them); distance order always takes `.nearestCameras`.
    func search(_ query: SearchQuery, timeOrderPath forced: SearchPath?) async throws -> SearchPage {
        let plan = try SearchPlan(query)
        return try await read { db in
            let version = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'cameras_version'")
            let (allCameras, admitted) = try cameraCache.cameras(version: version, admittedBy: query) { try Self.cameras(db) }
            guard !admitted.isEmpty else { return SearchPage(hits: [], nextCursor: nil) }
            let filter = try plan.bounds { try Self.longestEventMillis(db) }
            // One event more than the page says whether there is a next page.
            var keys: [EventKey]
            var ranks: [Int] = []
            let after = plan.after, count = plan.limit + 1
            switch plan.byDistance ? .nearestCameras
                : forced ?? plan.path(admitted: admitted.count, of: allCameras.count) {
            case .timeScan:
                let cameras = admitted.count < allCameras.count ? admitted.map(\.id) : nil
                keys = try Self.scannedKeys(db, cameras: cameras, filter: filter, after: after, count: count)
            case .mergeCameras:
                keys = try Self.mergedKeys(db, cameras: admitted.map(\.id), filter: filter, after: after, count: count)
            case .nearestCameras:
                (keys, ranks) = try Self.nearestKeys(db, ranked: plan.ranked(admitted), after: (plan.afterRank, after),
                                                     filter: filter, count: count)
            }
            // Only the page's rows are read in full.
            let events = try Self.pageEvents(db, ids: plan.pageKeys(keys).map(\.id))
            return plan.page(found: keys, ranks: ranks, cameras: admitted, events: events)
        }
    }

    // MARK: - Choosing a page

    /// The longest event ever stored, which bounds the scan for events overlapping a range's start.
    static func longestEventMillis(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'max_event_ms'") ?? 0
    }
}

extension EventBounds {
    /// SQL conditions on `table` (a prefix such as "e.", or ""), for the events after `after` in time order.
    /// The cursor and the range's start go out as one lower bound on the start (`lowestStart(after:)`).
    func conditions(table: String = "", after: EventKey? = nil) -> (clauses: [String], arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        func add(_ clause: String, _ values: any DatabaseValueConvertible...) {
            clauses.append(clause)
            for value in values { arguments += [value] }
        }
        if let endsAfter { add("\(table)end_ms > ?", endsAfter) }
        if let lowest = lowestStart(after: after) { add("\(table)start_ms >= ?", lowest) }
        if let startsBefore { add("\(table)start_ms < ?", startsBefore) }
        if let after { add("(\(table)start_ms, \(table)id) > (?, ?)", after.start, after.id) }
        if let minimumScore { add("\(table)peak_score >= ?", minimumScore) }
        if let minimumArea { add("\(table)area >= ?", minimumArea) }
        if let minimumDuration { add("\(table)end_ms - \(table)start_ms >= ?", minimumDuration) }
        let movement = Self.movementConditions(table: table, region: region, direction: direction)
        clauses += movement.clauses
        arguments += movement.arguments
        return (clauses, arguments)
    }

    init(_ db: Database, from: Date?, to: Date?) throws {
        try self.init(from: from, to: to) { try SQLiteCatalog.longestEventMillis(db) }
    }
}

extension SQLiteCatalog {
    /// The first `count` events after `after` in time order, scanning `event_start` and skipping
    /// cameras not in `cameras` (nil: every camera).
    static func scannedKeys(_ db: Database, cameras: [String]?, filter: EventFilter, after: EventKey?,
                            count: Int) throws -> [EventKey] {
        let (clauses, conditionArguments) = filter.conditions(after: after)
        var arguments = conditionArguments
        for camera in cameras ?? [] { arguments += [camera] }
        arguments += [count]
        return try keys(db.cachedStatement(sql: scannedKeysSQL(clauses, cameras: cameras?.count)), arguments: arguments)
    }

    /// The statement of `scannedKeys`: `clauses`, then `cameras` camera ids (if any), then the count.
    static func scannedKeysSQL(_ clauses: [String], cameras: Int?) -> String {
        var clauses = clauses
        if let cameras {
            // The unary plus keeps SQLite from seeking each camera in `event_camera_time` and then
            // sorting all their events in the range.
            clauses.append("+camera_id IN (" + Array(repeating: "?", count: cameras).joined(separator: ",") + ")")
        }
        return "SELECT start_ms, id FROM event" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY start_ms, id LIMIT ?"
    }

    /// The first `count` events after `after` in time order over `cameras`: a k-way merge of the
    /// cameras' index ranges. Each camera's keys come from `event_camera_time` a batch at a time
    /// (the batch doubling each time the camera runs out), so the work grows with the cameras plus
    /// the page, not with the events in the time range.
    static func mergedKeys(_ db: Database, cameras: [String], filter: EventFilter, after: EventKey?,
                           count: Int) throws -> [EventKey] {
        struct Run {
            var camera: String
            var keys: [EventKey]
            var next = 0
            var batch: Int
            /// The last batch was short: the camera has no more events to give.
            var done: Bool
        }
        guard count > 0, !cameras.isEmpty else { return [] }
        let first = min(count, count / cameras.count + 4)
        var runs: [Run] = []
        for camera in cameras {
            let keys = try cameraKeys(db, camera: camera, filter: filter, after: after, count: first)
            if !keys.isEmpty { runs.append(Run(camera: camera, keys: keys, batch: first, done: keys.count < first)) }
        }
        var chosen: [EventKey] = []
        chosen.reserveCapacity(count)
        while chosen.count < count, !runs.isEmpty {
            // A linear pick of the smallest head: the merge path is taken only for few cameras.
            var best = 0
            for index in runs.indices.dropFirst() where runs[index].keys[runs[index].next] < runs[best].keys[runs[best].next] {
                best = index
            }
            let key = runs[best].keys[runs[best].next]
            chosen.append(key)
            runs[best].next += 1
            guard runs[best].next == runs[best].keys.count else { continue }
            let wanted = min(count - chosen.count, runs[best].batch * 2)
            if runs[best].done || wanted == 0 {
                runs.remove(at: best)
                continue
            }
            let keys = try cameraKeys(db, camera: runs[best].camera, filter: filter, after: key, count: wanted)
            if keys.isEmpty {
                runs.remove(at: best)
            } else {
                runs[best].keys = keys
                runs[best].next = 0
                runs[best].batch = wanted
                runs[best].done = keys.count < wanted
            }
        }
        return chosen
    }

    /// Distance order: the first `count` events after `after` (a rank in `ranked` and, for that
    /// camera, a key), cameras nearest first and each one's events in time order.
    static func nearestKeys(_ db: Database, ranked: [String], after: (rank: Int, key: EventKey?), filter: EventFilter,
                            count: Int) throws -> (keys: [EventKey], ranks: [Int]) {
        var keys: [EventKey] = []
        var ranks: [Int] = []
        var rank = max(0, after.rank)
        while rank < ranked.count, keys.count < count {
            let found = try cameraKeys(db, camera: ranked[rank], filter: filter, after: rank == after.rank ? after.key : nil,
                                       count: count - keys.count)
            keys += found
            ranks += Array(repeating: rank, count: found.count)
            rank += 1
        }
        return (keys, ranks)
    }

    /// One camera's first `count` events after `after` in time order, from `event_camera_time`.
    static func cameraKeys(_ db: Database, camera: String, filter: EventFilter, after: EventKey?,
                           count: Int) throws -> [EventKey] {
        let (clauses, conditionArguments) = filter.conditions(after: after)
        var arguments: StatementArguments = [camera]
        arguments += conditionArguments
        arguments += [count]
        return try keys(db.cachedStatement(sql: cameraKeysSQL(clauses)), arguments: arguments)
    }

    /// The statement of `cameraKeys`: the camera, `clauses`, then the count.
    static func cameraKeysSQL(_ clauses: [String]) -> String {
        "SELECT start_ms, id FROM event WHERE camera_id = ?" + clauses.map { " AND " + $0 }.joined() + " ORDER BY start_ms, id LIMIT ?"
    }

    private static func keys(_ statement: Statement, arguments: StatementArguments) throws -> [EventKey] {
        var keys: [EventKey] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() { keys.append(EventKey(start: row[0], id: row[1])) }
        return keys
    }

    /// SQLite's plan for a statement, one line per step (tests check which indexes searches use).
    /// Its `?` placeholders are bound to NULL: without `sqlite_stat4`, plans do not depend on values.
    func queryPlan(_ sql: String) throws -> [String] {
        let nulls = StatementArguments(Array(repeating: DatabaseValue.null, count: sql.filter { $0 == "?" }.count))
        return try readNow { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: nulls).map { $0["detail"] } }
    }

    /// The page's events in full, with their recording's path, by id.
    static func pageEvents(_ db: Database, ids: [Int64]) throws -> [Int64: (event: MotionEvent, recordingPath: String)] {
        guard !ids.isEmpty else { return [:] }
        let sql = "SELECT \(eventColumns("e.")), r.path FROM event e JOIN recording r ON r.id = e.recording_id"
            + " WHERE e.id IN (" + ids.map { _ in "?" }.joined(separator: ",") + ")"
        var events: [Int64: (event: MotionEvent, recordingPath: String)] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(ids))
        while let row = try rows.next() {
            let event = Self.event(from: row)
            events[event.id] = (event, row[row.count - 1])
        }
        return events
    }
}
