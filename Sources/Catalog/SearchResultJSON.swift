import Foundation

/// One search result as JSON, shared by `wardwatch search --format json` and the HTTP API
/// (the keys are part of both interfaces).
public struct SearchResultItem: Encodable, Sendable {
    public var id: Int64
    public var camera: Camera
    public var start: String
    public var end: String
    public var start_local: String
    public var end_local: String
    public var duration_s: Double
    public var score: Double
    public var area: Double
    public var bbox: Box
    /// A file path (CLI) or a URL (HTTP API).
    public var still: String?
    public var playback: Playback
    /// "main" when playback, clip and still come from the camera's main stream; "sub" when its
    /// sub-stream stands in (the main stream has no recording for the event's time).
    public var source_stream: String
    public var distance_m: Double?

    /// Where the event's picture is, as fractions of the frame.
    public struct Box: Encodable, Sendable {
        public var x: Double, y: Double, w: Double, h: Double

        public init(_ box: NormalizedBox) {
            x = (box.x * 1000).rounded() / 1000
            y = (box.y * 1000).rounded() / 1000
            w = (box.width * 1000).rounded() / 1000
            h = (box.height * 1000).rounded() / 1000
        }
    }

    /// How to play the event: the recording, and the offset into it.
    public struct Playback: Encodable, Sendable {
        public var recording: Int64
        /// The recording's file (CLI only: the HTTP API does not reveal server paths).
        public var path: String?
        public var offset_s: Double
        public var clip_start: String
        public var clip_end: String
        /// A URL that streams the clip (HTTP API only).
        public var clip_url: String?
    }

    /// - Parameters:
    ///   - still: where the event's still can be had (a path or a URL), if it has one.
    ///   - recordingPath: the recording's file, for local users; nil over HTTP.
    ///   - clipURL: a URL that plays the clip, over HTTP.
    public init(_ hit: SearchHit, zone: TimeZone, still: String?, recordingPath: String?, clipURL: String? = nil) {
        let event = hit.event
        id = event.id
        camera = hit.camera
        start = Timestamp.format(event.start)
        end = Timestamp.format(event.end)
        start_local = Timestamp.format(event.start, in: zone)
        end_local = Timestamp.format(event.end, in: zone)
        duration_s = (event.durationSeconds * 1000).rounded() / 1000
        score = (event.peakScore * 10000).rounded() / 10000
        area = (event.area * 100000).rounded() / 100000
        bbox = Box(event.boundingBox)
        self.still = still
        playback = Playback(recording: event.recordingID, path: recordingPath,
                            offset_s: (event.offsetSeconds * 1000).rounded() / 1000,
                            clip_start: Timestamp.format(event.clipStart), clip_end: Timestamp.format(event.clipEnd),
                            clip_url: clipURL)
        source_stream = event.sourceStream.rawValue
        distance_m = hit.distanceMetres.map { $0.rounded() }
    }

    public static let csvHeader = ["id", "camera", "ward", "street", "latitude", "longitude", "start", "end", "start_local",
                                   "duration_s", "score", "area", "still", "recording", "recording_path", "offset_s", "distance_m"]
    public var csvCells: [String] {
        [String(id), camera.id, camera.ward ?? "", camera.street ?? "", camera.latitude.map { String($0) } ?? "",
         camera.longitude.map { String($0) } ?? "", start, end, start_local, String(duration_s), String(score), String(area),
         still ?? "", String(playback.recording), playback.path ?? "", String(playback.offset_s),
         distance_m.map { String($0) } ?? ""]
    }
}

/// A page of results as JSON.
public struct SearchResultList: Encodable, Sendable {
    public var events: [SearchResultItem]
    public var next_cursor: String?

    public init(events: [SearchResultItem], nextCursor: String?) {
        self.events = events
        next_cursor = nextCursor
    }
}

/// A page of results as an RFC 7946 FeatureCollection: one point per event at its camera (null
/// geometry when the camera has no position), for maps.
public struct SearchGeoJSON: Encodable, Sendable {
    public var type = "FeatureCollection"
    public var features: [Feature]
    public var next_cursor: String?

    public struct Feature: Encodable, Sendable {
        public var type = "Feature"
        public var id: Int64
        public var geometry: Point?
        public var properties: SearchResultItem

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(id, forKey: .id)
            if let geometry { try container.encode(geometry, forKey: .geometry) } else { try container.encodeNil(forKey: .geometry) }
            try container.encode(properties, forKey: .properties)
        }

        enum CodingKeys: String, CodingKey { case type, id, geometry, properties }
    }

    public struct Point: Encodable, Sendable {
        public var type = "Point"
        /// GeoJSON order: longitude, latitude.
        public var coordinates: [Double]
    }

    public init(items: [SearchResultItem], nextCursor: String?) {
        features = items.map { item in
            let point = item.camera.latitude.flatMap { latitude in
                item.camera.longitude.map { Point(coordinates: [$0, latitude]) }
            }
            return Feature(id: item.id, geometry: point, properties: item)
        }
        next_cursor = nextCursor
    }
}
