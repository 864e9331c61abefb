import Foundation

/// Search parameters as text, the way people type them on a command line or in a URL query,
/// turned into a `SearchQuery` with errors that name the parameter at fault.
///
/// The CLI and the HTTP API share this, so that "2024-07-10 15:00", "last 2h" or "lat,lon" mean
/// the same everywhere.
public struct SearchParameters: Sendable, Equatable {
    public var cameras: [String] = []
    public var ward: String?
    public var street: String?
    /// "lat,lon" in degrees.
    public var near: String?
    public var radius: Double = 500
    /// "south,west,north,east" in degrees.
    public var bbox: String?
    /// ISO 8601; without an offset, read in the ward's zone.
    public var from: String?
    public var to: String?
    /// A period back from now: "90s", "30m", "2h", "7d" (instead of from/to).
    public var last: String?
    public var minScore: Double?
    public var minDuration: Double?
    public var minArea: Double?
    /// "x,y,w,h", normalized to one camera's picture: events whose motion touched it.
    public var region: String?
    /// `left-to-right`, `right-to-left`, `top-to-bottom`, `bottom-to-top`, or a compass heading
    /// ("E", "SW", "135") when the one camera searched has a known view.
    public var direction: String?
    /// Where each camera looks (camera id → compass point or degrees), for compass directions.
    public var cameraViews: [String: String] = [:]
    public var sort: String = "time"
    public var limit: Int = 100
    public var cursor: String?

    public init() {}

    /// The query these parameters describe.
    /// - Parameters:
    ///   - zone: the zone of times written without an offset.
    ///   - now: the end of a `last` period.
    /// - Throws: `SearchParameterError` naming the first bad parameter.
    public func query(zone: TimeZone, now: Date) throws -> SearchQuery {
        var query = SearchQuery()
        query.cameras = cameras
        query.ward = ward
        query.street = street
        guard radius > 0, radius <= Self.maximumRadiusMetres else {
            throw SearchParameterError("radius", "must be a number of metres greater than 0 and at most \(Int(Self.maximumRadiusMetres))")
        }
        if let near {
            query.near = try Self.point(near, name: "near")
            query.radiusMetres = radius
        }
        if let bbox {
            let numbers = bbox.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 4, numbers[0] <= numbers[2], numbers[1] <= numbers[3],
                  (-90...90).contains(numbers[0]), (-90...90).contains(numbers[2]),
                  (-180...180).contains(numbers[1]), (-180...180).contains(numbers[3]) else {
                throw SearchParameterError("bbox", "'\(bbox)' is not south,west,north,east in degrees")
            }
            query.box = (GeoPoint(latitude: numbers[0], longitude: numbers[1]), GeoPoint(latitude: numbers[2], longitude: numbers[3]))
        }
        if last != nil && (from != nil || to != nil) {
            throw SearchParameterError("last", "replaces from and to; give one or the other")
        }
        if let last {
            guard let seconds = Self.period(last) else { throw SearchParameterError("last", "'\(last)' is not a period like 30m, 2h or 7d") }
            query.from = now.addingTimeInterval(-seconds)
            query.to = now
        }
        if let from {
            guard let date = Timestamp.parse(from, defaultZone: zone) else {
                throw SearchParameterError("from", "'\(from)' is not an ISO 8601 time (e.g. 2024-07-10 15:00 or 2024-07-10T08:00:00Z)")
            }
            query.from = date
        }
        if let to {
            guard let date = Timestamp.parse(to, defaultZone: zone) else {
                throw SearchParameterError("to", "'\(to)' is not an ISO 8601 time (e.g. 2024-07-10 16:00 or 2024-07-10T09:00:00Z)")
            }
            query.to = date
        }
        if let from = query.from, let to = query.to, to <= from { throw SearchParameterError("to", "must be after from") }
        for (name, value, range) in [("min_score", minScore, Self.scoreRange), ("min_duration", minDuration, Self.durationRange),
                                     ("min_area", minArea, Self.areaRange)] {
            if let value, let problem = NumberRange.problem(value, in: range) { throw SearchParameterError(name, problem) }
        }
        query.minimumScore = minScore
        query.minimumDurationSeconds = minDuration
        query.minimumArea = minArea
        if let region {
            let numbers = region.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 4, numbers.allSatisfy({ (0...1).contains($0) }), numbers[2] > 0, numbers[3] > 0,
                  numbers[0] + numbers[2] <= 1.000001, numbers[1] + numbers[3] <= 1.000001 else {
                throw SearchParameterError("region", "'\(region)' is not x,y,w,h normalized to the picture (0 to 1)")
            }
            guard cameras.count == 1 else {
                throw SearchParameterError("region", "is a part of one camera's picture: give exactly one camera")
            }
            query.region = NormalizedBox(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
        }
        if let direction { query.direction = try Self.travelDirection(direction, cameras: cameras, views: cameraViews) }
        guard let order = SearchQuery.Order(rawValue: sort) else {
            throw SearchParameterError("sort", "'\(sort)' must be time or distance")
        }
        if order == .distance && near == nil { throw SearchParameterError("sort", "distance needs near") }
        query.order = order
        guard (1...10_000).contains(limit) else { throw SearchParameterError("limit", "must be from 1 to 10000") }
        query.limit = limit
        if let cursor {
            guard SearchCursor.decode(cursor) != nil else { throw SearchParameterError("cursor", "'\(cursor)' is not a cursor this search printed") }
            query.cursor = cursor
        }
        return query
    }

    /// Half the Earth's circumference: every camera is within this of any point.
    public static let maximumRadiusMetres = 20_040_000.0
    /// Scores are luma differences over the noise floor; no event scores anywhere near this.
    public static let scoreRange = 0.0...1_000_000
    /// Seconds: no event lasts longer than a year.
    public static let durationRange = 0.0...31_536_000
    /// A fraction of the picture.
    public static let areaRange = 0.0...1

    static func travelDirection(_ text: String, cameras: [String], views: [String: String]) throws -> TravelDirection {
        if let direction = TravelDirection(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) { return direction }
        guard let heading = TravelDirection.compassDegrees(text) else {
            throw SearchParameterError("direction", "'\(text)' is not left-to-right, right-to-left, top-to-bottom, "
                + "bottom-to-top or a compass heading (N, NE, …, or degrees)")
        }
        guard cameras.count == 1, let viewText = views[cameras[0]], let view = TravelDirection.compassDegrees(viewText) else {
            throw SearchParameterError("direction", "a compass heading needs one camera whose view is configured")
        }
        return TravelDirection.picture(heading: heading, view: view)
    }

    static func point(_ text: String, name: String) throws -> GeoPoint {
        let numbers = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 2, (-90...90).contains(numbers[0]), (-180...180).contains(numbers[1]) else {
            throw SearchParameterError(name, "'\(text)' is not lat,lon in degrees")
        }
        return GeoPoint(latitude: numbers[0], longitude: numbers[1])
    }

    /// "90s", "30m", "2h", "7d" in seconds; nil when the text is not such a period.
    public static func period(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let value = Double(trimmed.dropLast()), value > 0, value < 1e6 else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86400
        default: return nil
        }
    }
}

/// A search parameter that cannot be understood; `field` is its name as the caller spelled it.
public struct SearchParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field) \(message)" }
}
