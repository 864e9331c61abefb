import Foundation

// MARK: - How every store reads a search page
//
// The rules that make a page and a cursor mean the same on every backend live here, once: where a page
// starts (the cursor), the order (time, or cameras nearest first), which path a store takes to choose the
// events, the bounds on events in the catalog's milliseconds, and how the page and its next cursor are cut
// from the keys a store found. A store only runs the statements.

/// An event's place in time order: start (milliseconds since 1970), then id.
public struct EventKey: Comparable, Hashable, Sendable {
    public var start: Int64
    public var id: Int64

    public init(start: Int64, id: Int64) {
        self.start = start
        self.id = id
    }

    public static func < (lhs: EventKey, rhs: EventKey) -> Bool { (lhs.start, lhs.id) < (rhs.start, rhs.id) }
}

/// A search's conditions on events apart from the camera, in the catalog's milliseconds: overlap with
/// [from, to) and the minimums. Stores turn them into their own SQL.
public struct EventBounds: Sendable, Equatable {
    /// Events that end after this (the range's start).
    public var endsAfter: Int64?
    /// No event starting earlier can overlap the range: its start less the longest event ever stored.
    public var startsFrom: Int64?
    /// Events that start before this (the range's end).
    public var startsBefore: Int64?
    public var minimumScore: Double?
    public var minimumArea: Double?
    public var minimumDuration: Int64?
    /// Events whose footprint touches these cells.
    public var region: EventFootprint?
    /// Events whose net travel goes this way.
    public var direction: TravelDirection?

    public init(endsAfter: Int64? = nil, startsFrom: Int64? = nil, startsBefore: Int64? = nil, minimumScore: Double? = nil,
                minimumArea: Double? = nil, minimumDuration: Int64? = nil) {
        self.endsAfter = endsAfter
        self.startsFrom = startsFrom
        self.startsBefore = startsBefore
        self.minimumScore = minimumScore
        self.minimumArea = minimumArea
        self.minimumDuration = minimumDuration
    }

    /// Overlap with [from, to), given the longest event the store holds (only read when `from` is set).
    public init(from: Date?, to: Date?, longestEventMillis: () throws -> Int64) rethrows {
        if let from {
            let start = Int64(millisecondsSince1970: from)
            endsAfter = start
            startsFrom = start - (try longestEventMillis())
        }
        startsBefore = to.map { Int64(millisecondsSince1970: $0) }
    }

    /// The one lower bound on an event's start after `after`: the cursor and the range's start go out as
    /// one bound, since given several a database seeks on one of them, not necessarily the later.
    public func lowestStart(after: EventKey?) -> Int64? { [startsFrom, after?.start].compactMap { $0 }.max() }
}

/// How a store reads one page of a `SearchQuery`.
public struct SearchPlan: Sendable {
    /// How the events of a page are chosen. Every path chooses the same events; they differ in what their work grows with.
    public enum Path: Sendable, CaseIterable {
        /// Time order, one scan in time order that skips other cameras' events: the work grows with the page
        /// times (all cameras / admitted cameras). Cheapest when most cameras are admitted.
        case timeScan
        /// Time order, each admitted camera's next events from its (camera, time) index, merged: the work grows
        /// with the admitted cameras plus the page, however many events the time range holds.
        case mergeCameras
        /// Distance order: cameras nearest first, each one's events in time order, until the page is full.
        case nearestCameras
    }

    public let query: SearchQuery
    /// Distance order ranks cameras nearest first; the rank leads the sort key and the cursor.
    public let byDistance: Bool
    /// The last event of the previous page (nil on the first page).
    public let after: EventKey?
    /// In distance order, the rank of that event's camera.
    public let afterRank: Int
    /// Events on the page; a store asks for one more, which says whether there is a next page.
    public let limit: Int

    /// - Throws: `CatalogError.invalidQuery` for a cursor that is not one of this search's.
    public init(_ query: SearchQuery) throws(CatalogError) {
        self.query = query
        byDistance = query.order == .distance && query.near != nil
        limit = max(0, query.limit)
        guard let cursor = query.cursor else {
            (after, afterRank) = (nil, 0)
            return
        }
        guard let parts = SearchCursor.decode(cursor), parts.count == (byDistance ? 3 : 2) else {
            throw CatalogError(.invalidQuery, "cursor: not a cursor of this search (start again without it)")
        }
        after = EventKey(start: parts[parts.count - 2], id: parts[parts.count - 1])
        afterRank = byDistance ? Int(clamping: parts[0]) : 0
    }

    /// The query's events apart from the camera (see `EventBounds.init(from:to:longestEventMillis:)`).
    public func bounds(longestEventMillis: () throws -> Int64) rethrows -> EventBounds {
        var bounds = try EventBounds(from: query.from, to: query.to, longestEventMillis: longestEventMillis)
        bounds.minimumScore = query.minimumScore
        bounds.minimumArea = query.minimumArea
        bounds.minimumDuration = query.minimumDurationSeconds.map { Int64(millisecondsOf: $0) }
        bounds.region = query.region.map(EventFootprint.init(region:))
        bounds.direction = query.direction
        return bounds
    }

    /// Metres from the query's point to the camera, when both have a position.
    public func distance(to camera: Camera) -> Double? {
        guard let near = query.near, let latitude = camera.latitude, let longitude = camera.longitude else { return nil }
        return near.distance(to: GeoPoint(latitude: latitude, longitude: longitude))
    }

    /// Camera ids nearest first (cameras without a position last), ties by id: the ranks of distance order.
    public func ranked(_ cameras: [Camera]) -> [String] {
        cameras.map { ($0.id, distance(to: $0) ?? .infinity) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// The path for this page: distance order takes `.nearestCameras`, time order the cheaper path.
    public func path(admitted: Int, of all: Int) -> Path {
        byDistance ? .nearestCameras : Self.cheaperTimeOrderPath(admitted: admitted, of: all, limit: limit)
    }

    /// Time order: merging costs a statement and a seek for each of the N admitted cameras; a scan in time
    /// order reads about page × all / N events, skipping other cameras'. Merging is cheaper while
    /// N² × `seekCost` ≤ page × all, `seekCost` being a camera's seek counted in scanned events. On the
    /// 10-million-event bench catalog (SQLite) the two paths cost the same CPU at 60–80 admitted cameras
    /// (3–4 wards) with pages of 100, hence 10.
    public static func cheaperTimeOrderPath(admitted: Int, of all: Int, limit: Int) -> Path {
        guard admitted < all else { return .timeScan }
        return admitted * admitted * seekCost <= (limit + 1) * all ? .mergeCameras : .timeScan
    }

    public static let seekCost = 10

    /// The keys whose events a store reads in full: the first `limit` of those it found.
    public func pageKeys(_ found: [EventKey]) -> [EventKey] { Array(found.prefix(limit)) }

    /// The page cut from the keys a store found (up to `limit + 1`, in page order; `ranks` gives each key's
    /// camera rank in distance order), with the events read for `pageKeys(found)`.
    public func page(found: [EventKey], ranks: [Int], cameras: [Camera],
                     events: [Int64: (event: MotionEvent, recordingPath: String)]) -> SearchPage {
        let keys = pageKeys(found)
        let byID = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let hits = keys.compactMap { key -> SearchHit? in
            guard let (event, path) = events[key.id], let camera = byID[event.camera] else { return nil }
            return SearchHit(event: event, camera: camera, recordingPath: path, distanceMetres: distance(to: camera))
        }
        var next: String?
        if found.count > limit, let last = keys.last {
            next = SearchCursor.encode(byDistance ? [Int64(ranks[keys.count - 1]), last.start, last.id] : [last.start, last.id])
        }
        return SearchPage(hits: hits, nextCursor: next)
    }
}
