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

    /// How the events of a page are chosen. Every path chooses the same events; they differ in what
    /// their work grows with.
    enum SearchPath: Sendable, CaseIterable {
        /// Time order, one scan of `event_start` that skips other cameras' events: the work grows with
        /// the page times (all cameras / admitted cameras). Cheapest when most cameras are admitted.
        case timeScan
        /// Time order, each admitted camera's next events from `event_camera_time`, merged: the work
        /// grows with the admitted cameras plus the page, however many events the time range holds.
        case mergeCameras
        /// Distance order: cameras nearest first, each one's events in time order, until the page is full.
        case nearestCameras
    }

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        try await search(query, timeOrderPath: nil)
    }

    /// - Parameter forced: the path for a time-ordered page instead of the cheaper one (tests compare
    ///   them); distance order always takes `.nearestCameras`.
    func search(_ query: SearchQuery, timeOrderPath forced: SearchPath?) async throws -> SearchPage {
        // Distance order ranks cameras nearest first; the rank leads the sort key and the cursor.
        let byDistance = query.order == .distance && query.near != nil
        var cursorKey: EventKey?
        var cursorRank = 0
        if let cursor = query.cursor {
            guard let parts = SearchCursor.decode(cursor), parts.count == (byDistance ? 3 : 2) else {
                throw CatalogError(.invalidQuery, "cursor: not a cursor of this search (start again without it)")
            }
            cursorKey = EventKey(start: parts[parts.count - 2], id: parts[parts.count - 1])
            if byDistance { cursorRank = Int(clamping: parts[0]) }
        }
        let after = cursorKey, afterRank = cursorRank
        let limit = max(0, query.limit)
        @Sendable func distance(_ camera: Camera) -> Double? {
            guard let near = query.near, let latitude = camera.latitude, let longitude = camera.longitude else { return nil }
            return near.distance(to: GeoPoint(latitude: latitude, longitude: longitude))
        }
        return try await read { db in
            let version = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'cameras_version'")
            let (allCameras, admitted) = try cameraCache.cameras(version: version, admittedBy: query) { try Self.cameras(db) }
            guard !admitted.isEmpty else { return SearchPage(hits: [], nextCursor: nil) }
            let byID = Dictionary(admitted.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let filter = try EventFilter(db, query)
            // One event more than the page says whether there is a next page.
            var keys: [EventKey]
            var ranks: [Int] = []
            switch byDistance ? .nearestCameras
                : forced ?? Self.cheaperTimeOrderPath(admitted: admitted.count, of: allCameras.count, limit: limit) {
            case .timeScan:
                let cameras = admitted.count < allCameras.count ? admitted.map(\.id) : nil
                keys = try Self.scannedKeys(db, cameras: cameras, filter: filter, after: after, count: limit + 1)
            case .mergeCameras:
                keys = try Self.mergedKeys(db, cameras: admitted.map(\.id), filter: filter, after: after, count: limit + 1)
            case .nearestCameras:
                let ranked = admitted.sorted { (distance($0) ?? .infinity, $0.id) < (distance($1) ?? .infinity, $1.id) }
                (keys, ranks) = try Self.nearestKeys(db, ranked: ranked.map(\.id), after: (afterRank, after), filter: filter,
                                                     count: limit + 1)
            }
            let more = keys.count > limit
            keys = Array(keys.prefix(limit))
            // Only the page's rows are read in full.
            let events = try Self.pageEvents(db, ids: keys.map(\.id))
            let hits = keys.compactMap { key -> SearchHit? in
                guard let (event, path) = events[key.id], let camera = byID[event.camera] else { return nil }
                return SearchHit(event: event, camera: camera, recordingPath: path, distanceMetres: distance(camera))
            }
            var next: String?
            if more, let last = keys.last {
                next = SearchCursor.encode(byDistance ? [Int64(ranks[keys.count - 1]), last.start, last.id] : [last.start, last.id])
            }
            return SearchPage(hits: hits, nextCursor: next)
        }
    }

    /// Time order: merging costs a statement and a seek for each of the N admitted cameras; a scan
    /// in time order reads about page × all / N events, skipping other cameras'. Merging is cheaper
    /// while N² × `seekCost` ≤ page × all, `seekCost` being a camera's seek counted in scanned events.
    /// On the 10-million-event bench catalog the two paths cost the same CPU at 60–80 admitted cameras
    /// (3–4 wards) with pages of 100, hence 10.
    static func cheaperTimeOrderPath(admitted: Int, of all: Int, limit: Int) -> SearchPath {
        guard admitted < all else { return .timeScan }
        return admitted * admitted * seekCost <= (limit + 1) * all ? .mergeCameras : .timeScan
    }

    static let seekCost = 10

    // MARK: - Choosing a page

    /// An event's place in time order: start, then id.
    struct EventKey: Comparable, Sendable {
        var start: Int64
        var id: Int64

        static func < (lhs: EventKey, rhs: EventKey) -> Bool { (lhs.start, lhs.id) < (rhs.start, rhs.id) }
    }

    /// A search's conditions on events apart from the camera: overlap with [from, to) and the minimums.
    struct EventFilter {
        /// Events that end after this (the range's start).
        var endsAfter: Int64?
        /// No event starting earlier can overlap the range: its start less the longest event ever stored.
        var startsFrom: Int64?
        /// Events that start before this (the range's end).
        var startsBefore: Int64?
        var minimumScore: Double?
        var minimumArea: Double?
        var minimumDuration: Int64?
        /// Events whose footprint touches these cells.
        var region: EventFootprint?
        var direction: TravelDirection?

        /// SQL conditions on `table` (a prefix such as "e.", or ""), for the events after `after` in time order.
        /// The cursor and the range's start go out as one lower bound on the start: given several,
        /// SQLite seeks on one of them, not necessarily the later.
        func conditions(table: String = "", after: EventKey? = nil) -> (clauses: [String], arguments: StatementArguments) {
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let endsAfter {
                clauses.append("\(table)end_ms > ?")
                arguments += [endsAfter]
            }
            if let lowest = [startsFrom, after?.start].compactMap({ $0 }).max() {
                clauses.append("\(table)start_ms >= ?")
                arguments += [lowest]
            }
            if let startsBefore {
                clauses.append("\(table)start_ms < ?")
                arguments += [startsBefore]
            }
            if let after {
                clauses.append("(\(table)start_ms, \(table)id) > (?, ?)")
                arguments += [after.start, after.id]
            }
            if let minimumScore {
                clauses.append("\(table)peak_score >= ?")
                arguments += [minimumScore]
            }
            if let minimumArea {
                clauses.append("\(table)area >= ?")
                arguments += [minimumArea]
            }
            if let minimumDuration {
                clauses.append("\(table)end_ms - \(table)start_ms >= ?")
                arguments += [minimumDuration]
            }
            let movement = Self.movementConditions(table: table, region: region, direction: direction)
            clauses += movement.clauses
            arguments += movement.arguments
            return (clauses, arguments)
        }
    }
}

// Out of the struct, so that it keeps its memberwise initializer (tests build filters directly).
extension SQLiteCatalog.EventFilter {
    init(_ db: Database, from: Date?, to: Date?) throws {
        if let from {
            let longest = try Int64.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'max_event_ms'") ?? 0
            endsAfter = SQLiteCatalog.millis(from)
            startsFrom = SQLiteCatalog.millis(from) - longest
        }
        startsBefore = to.map(SQLiteCatalog.millis)
    }

    init(_ db: Database, _ query: SearchQuery) throws {
        try self.init(db, from: query.from, to: query.to)
        minimumScore = query.minimumScore
        minimumArea = query.minimumArea
        minimumDuration = query.minimumDurationSeconds.map { Int64(millisecondsOf: $0) }
        region = query.region.map(EventFootprint.init(region:))
        direction = query.direction
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
