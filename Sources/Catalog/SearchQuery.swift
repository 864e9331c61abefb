import Foundation

/// A footage search: where, when, how strong, in which order, and which page.
///
/// Place filters select cameras (ward and street match without diacritics and by word prefix;
/// radius and box use the camera's position); the rest selects their events.
public struct SearchQuery: Sendable, Equatable {
    public enum Order: String, Sendable, CaseIterable {
        /// Oldest first.
        case time
        /// Nearest camera first (needs `near`), then by time.
        case distance
    }

    public var cameras: [String] = []
    public var ward: String?
    public var street: String?
    /// Events from cameras within `radiusMetres` of this point.
    public var near: GeoPoint?
    public var radiusMetres: Double?
    /// Events from cameras inside this box (south-west and north-east corners).
    public var box: (southWest: GeoPoint, northEast: GeoPoint)?
    public var from: Date?
    public var to: Date?
    public var minimumScore: Double?
    public var minimumDurationSeconds: Double?
    public var minimumArea: Double?
    /// Events whose motion footprint touches this part of the picture (normalized).
    public var region: NormalizedBox?
    /// Events whose main object travelled this way across the picture.
    public var direction: TravelDirection?
    /// Only cameras of these wards (a viewer's scope); nil = all wards.
    public var wardScope: [String]?
    public var order: Order = .time
    public var limit: Int = 100
    /// The `nextCursor` of the previous page.
    public var cursor: String?

    public init() {}

    public static func == (lhs: SearchQuery, rhs: SearchQuery) -> Bool {
        lhs.cameras == rhs.cameras && lhs.ward == rhs.ward && lhs.street == rhs.street && lhs.near == rhs.near
            && lhs.radiusMetres == rhs.radiusMetres && lhs.box?.southWest == rhs.box?.southWest
            && lhs.box?.northEast == rhs.box?.northEast && lhs.from == rhs.from && lhs.to == rhs.to
            && lhs.minimumScore == rhs.minimumScore && lhs.minimumDurationSeconds == rhs.minimumDurationSeconds
            && lhs.minimumArea == rhs.minimumArea && lhs.wardScope == rhs.wardScope && lhs.order == rhs.order
            && lhs.limit == rhs.limit && lhs.cursor == rhs.cursor && lhs.region == rhs.region
            && lhs.direction == rhs.direction
    }

    /// The cameras that pass the place filters and the ward scope.
    public func admitted(_ all: [Camera]) -> [Camera] {
        let wardWords = ward.map(PlaceText.foldedWords)
        let streetWords = street.map(PlaceText.foldedWords)
        let scope = wardScope.map { Set($0.map { PlaceText.foldedWords($0).joined(separator: " ") }) }
        return all.filter { admits($0, wardWords: wardWords, streetWords: streetWords, scope: scope) }
    }

    /// Whether a camera passes the place filters and the ward scope.
    public func admits(_ camera: Camera) -> Bool {
        admits(camera, wardWords: ward.map(PlaceText.foldedWords), streetWords: street.map(PlaceText.foldedWords),
               scope: wardScope.map { Set($0.map { PlaceText.foldedWords($0).joined(separator: " ") }) })
    }

    private func admits(_ camera: Camera, wardWords: [String]?, streetWords: [String]?, scope: Set<String>?) -> Bool {
        if !cameras.isEmpty, !cameras.contains(camera.id) { return false }
        if let scope {
            guard let ward = camera.ward, scope.contains(PlaceText.foldedWords(ward).joined(separator: " ")) else { return false }
        }
        if let wardWords, !PlaceText.matches(words: wardWords, in: camera.ward ?? "") { return false }
        if let streetWords {
            let inStreet = PlaceText.matches(words: streetWords, in: camera.street ?? "")
            if !inStreet, !PlaceText.matches(words: streetWords, in: camera.name ?? "") { return false }
        }
        if near != nil || box != nil {
            guard let latitude = camera.latitude, let longitude = camera.longitude else { return false }
            let position = GeoPoint(latitude: latitude, longitude: longitude)
            if let near, let radius = radiusMetres, position.distance(to: near) > radius { return false }
            if let box, !(box.southWest.latitude...box.northEast.latitude).contains(latitude)
                || !(box.southWest.longitude...box.northEast.longitude).contains(longitude) { return false }
        }
        return true
    }
}

/// One search result: the event, where it was seen, and how to play it.
public struct SearchHit: Sendable, Equatable {
    public var event: MotionEvent
    public var camera: Camera
    public var recordingPath: String
    /// Distance from the query point, when the query had one.
    public var distanceMetres: Double?

    public init(event: MotionEvent, camera: Camera, recordingPath: String, distanceMetres: Double?) {
        self.event = event
        self.camera = camera
        self.recordingPath = recordingPath
        self.distanceMetres = distanceMetres
    }
}

/// A page of results and the cursor for the next one (nil on the last page).
public struct SearchPage: Sendable, Equatable {
    public var hits: [SearchHit]
    public var nextCursor: String?

    public init(hits: [SearchHit], nextCursor: String?) {
        self.hits = hits
        self.nextCursor = nextCursor
    }
}

/// Page cursors, opaque to clients: start ms and event id (time order), led by the camera's distance rank
/// in distance order.
public enum SearchCursor {
    public static func encode(_ parts: [Int64]) -> String {
        Data(parts.map(String.init).joined(separator: ":").utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [Int64]? {
        var padded = text
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded), let string = String(data: data, encoding: .utf8) else { return nil }
        let parts = string.split(separator: ":").compactMap { Int64($0) }
        return parts.isEmpty ? nil : parts
    }
}
