import Access
import ArgumentParser
import Catalog
import CatalogSQLite
import Foundation
import WardWatchConfig

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find motion events by time and place: ward, street, camera, radius or box.",
        discussion: """
            Wards and streets match without case or diacritics and by word prefix ("nguyen trai" finds \
            "Nguyễn Trãi"). Times are ISO 8601; without an offset they are in the configured zone \
            ("2024-07-10 15:00"). Results come a page at a time: pass --cursor with the printed next cursor.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("camera"), help: "Only this camera (repeatable).")
    var cameras: [String] = []
    @Option(help: "Ward name (diacritics and case ignored, word prefixes match).")
    var ward: String?
    @Option(help: "Street, house number or intersection (diacritics and case ignored, word prefixes match).")
    var street: String?
    @Option(help: ArgumentHelp("Cameras near this point.", valueName: "lat,lon"))
    var near: String?
    @Option(help: "Radius around --near in metres.")
    var radius: Double = 500
    @Option(help: ArgumentHelp("Cameras inside this box.", valueName: "south,west,north,east"))
    var bbox: String?
    @Option(help: ArgumentHelp("Events that end after this time.", valueName: "time"))
    var from: String?
    @Option(help: ArgumentHelp("Events that start before this time.", valueName: "time"))
    var to: String?
    @Option(help: ArgumentHelp("Events of the last period: 90s, 30m, 2h, 7d (instead of --from/--to).", valueName: "period"))
    var last: String?
    @Option(help: "Minimum peak score.") var minScore: Double?
    @Option(help: "Minimum duration in seconds.") var minDuration: Double?
    @Option(help: "Minimum changed area (fraction of the picture).") var minArea: Double?
    @Option(help: "Order: time (oldest first) or distance (nearest camera first; needs --near).")
    var sort: SortOrder = .time
    @Option(help: "Results per page.") var limit: Int = 100
    @Option(help: "Cursor of the next page, as printed by the previous one.") var cursor: String?
    @Option(help: "Output format: table, json, csv or geojson.") var format: SearchFormat = .table

    enum SortOrder: String, ExpressibleByArgument, CaseIterable { case time, distance }
    enum SearchFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv, geojson }

    func validate() throws {
        if limit < 1 || limit > 10_000 { throw ValidationError("--limit must be from 1 to 10000") }
        if radius <= 0 { throw ValidationError("--radius must be greater than 0") }
        if sort == .distance && near == nil { throw ValidationError("--sort distance needs --near") }
        if last != nil && (from != nil || to != nil) { throw ValidationError("--last replaces --from and --to; give one or the other") }
    }

    func run() throws {
        _ = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let query = try SearchRequest(
            cameras: cameras, ward: ward, street: street, near: near, radius: radius, bbox: bbox, from: from, to: to,
            last: last, minScore: minScore, minDuration: minDuration, minArea: minArea, sort: sort.rawValue, limit: limit,
            cursor: cursor
        ).query(zone: configuration.timeZone, now: Date())
        let catalog = try global.openCatalog(configuration)
        let page = try catalog.search(query)
        // Every search is attributable: the command line's are audited under the system user.
        try catalog.appendAudit(NewAuditEntry(
            actor: cliActor(), action: "search", query: CommandLine.arguments.dropFirst(2).joined(separator: " "),
            resultCount: page.hits.count, client: "cli"), hash: sha256Hex)
        let items = page.hits.map { SearchItem($0, stills: catalog.stillsDirectory, zone: configuration.timeZone) }
        switch format {
        case .json: print(try renderJSON(SearchOutput(events: items, next_cursor: page.nextCursor)))
        case .geojson: print(try renderJSON(GeoJSON(items: items, nextCursor: page.nextCursor)))
        case .csv: print(renderCSV(header: SearchItem.csvHeader, rows: items.map(\.csvCells)), terminator: "")
        case .table:
            print(renderTable(
                header: ["ID", "CAMERA", "PLACE", "START (local)", "DURATION", "SCORE", "RECORDING @ OFFSET"]
                    + (query.near != nil ? ["DISTANCE"] : []),
                rows: items.map {
                    [String($0.id), $0.camera.id, $0.camera.street ?? $0.camera.name ?? "", $0.start_local,
                     fixed($0.duration_s, digits: 1) + " s", fixed($0.score, digits: 3),
                     ($0.playback.path as NSString).lastPathComponent + " @ " + fixed($0.playback.offset_s, digits: 1) + " s"]
                        + ($0.distance_m.map { [fixed($0, digits: 0) + " m"] } ?? [])
                }))
            if let next = page.nextCursor { print("more: --cursor \(next)") }
        }
    }
}

/// Search parameters as text (from the CLI or a URL query), turned into a `SearchQuery` with
/// errors that name the parameter.
struct SearchRequest {
    var cameras: [String] = []
    var ward: String?
    var street: String?
    var near: String?
    var radius: Double = 500
    var bbox: String?
    var from: String?
    var to: String?
    var last: String?
    var minScore: Double?
    var minDuration: Double?
    var minArea: Double?
    var sort: String = "time"
    var limit: Int = 100
    var cursor: String?

    func query(zone: TimeZone, now: Date) throws -> SearchQuery {
        var query = SearchQuery()
        query.cameras = cameras
        query.ward = ward
        query.street = street
        if let near {
            query.near = try point(near, name: "near")
            query.radiusMetres = radius
        }
        if let bbox {
            let numbers = bbox.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 4, numbers[0] <= numbers[2], numbers[1] <= numbers[3] else {
                throw ValidationError("bbox '\(bbox)' is not south,west,north,east in degrees")
            }
            query.box = (GeoPoint(latitude: numbers[0], longitude: numbers[1]), GeoPoint(latitude: numbers[2], longitude: numbers[3]))
        }
        if let last {
            guard let seconds = Self.period(last) else { throw ValidationError("last '\(last)' is not a period like 30m, 2h or 7d") }
            query.from = now.addingTimeInterval(-seconds)
            query.to = now
        }
        if let from {
            guard let date = Timestamp.parse(from, defaultZone: zone) else {
                throw ValidationError("from '\(from)' is not an ISO 8601 time (e.g. 2024-07-10 15:00 or 2024-07-10T08:00:00Z)")
            }
            query.from = date
        }
        if let to {
            guard let date = Timestamp.parse(to, defaultZone: zone) else {
                throw ValidationError("to '\(to)' is not an ISO 8601 time (e.g. 2024-07-10 16:00 or 2024-07-10T09:00:00Z)")
            }
            query.to = date
        }
        if let from = query.from, let to = query.to, to <= from { throw ValidationError("to must be after from") }
        query.minimumScore = minScore
        query.minimumDurationSeconds = minDuration
        query.minimumArea = minArea
        guard let order = SearchQuery.Order(rawValue: sort) else { throw ValidationError("sort '\(sort)' must be time or distance") }
        query.order = order
        query.limit = limit
        query.cursor = cursor
        return query
    }

    private func point(_ text: String, name: String) throws -> GeoPoint {
        let numbers = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 2, (-90...90).contains(numbers[0]), (-180...180).contains(numbers[1]) else {
            throw ValidationError("\(name) '\(text)' is not lat,lon in degrees")
        }
        return GeoPoint(latitude: numbers[0], longitude: numbers[1])
    }

    /// "90s", "30m", "2h", "7d" in seconds.
    static func period(_ text: String) -> Double? {
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

/// One search result as JSON (keys are part of the interface).
struct SearchItem: Encodable {
    var id: Int64
    var camera: CameraItem
    var start: String
    var end: String
    var start_local: String
    var end_local: String
    var duration_s: Double
    var score: Double
    var area: Double
    var bbox: EventItem.Box
    var still: String?
    var playback: Playback
    var distance_m: Double?

    struct CameraItem: Encodable {
        var id: String
        var name: String?
        var ward: String?
        var street: String?
        var latitude: Double?
        var longitude: Double?
    }

    struct Playback: Encodable {
        var recording: Int64
        var path: String
        var offset_s: Double
        var clip_start: String
        var clip_end: String
    }

    init(_ hit: SearchHit, stills: String, zone: TimeZone) {
        let base = EventItem(hit.event, recording: nil, stills: stills, zone: zone)
        id = base.id
        camera = CameraItem(id: hit.camera.id, name: hit.camera.name, ward: hit.camera.ward, street: hit.camera.street,
                            latitude: hit.camera.latitude, longitude: hit.camera.longitude)
        start = base.start
        end = base.end
        start_local = base.start_local
        end_local = Timestamp.format(hit.event.end, in: zone)
        duration_s = base.duration_s
        score = base.score
        area = base.area
        bbox = base.bbox
        still = base.still
        playback = Playback(recording: hit.event.recordingID, path: hit.recordingPath, offset_s: base.offset_s,
                            clip_start: base.clip_start, clip_end: base.clip_end)
        distance_m = hit.distanceMetres.map { $0.rounded() }
    }

    static let csvHeader = ["id", "camera", "ward", "street", "latitude", "longitude", "start", "end", "start_local",
                            "duration_s", "score", "area", "still", "recording", "recording_path", "offset_s", "distance_m"]
    var csvCells: [String] {
        [String(id), camera.id, camera.ward ?? "", camera.street ?? "", camera.latitude.map { String($0) } ?? "",
         camera.longitude.map { String($0) } ?? "", start, end, start_local, String(duration_s), String(score), String(area),
         still ?? "", String(playback.recording), playback.path, String(playback.offset_s), distance_m.map { String($0) } ?? ""]
    }
}

struct SearchOutput: Encodable {
    var events: [SearchItem]
    var next_cursor: String?
}

/// RFC 7946 FeatureCollection: one point per event, at its camera (null geometry when the camera has no position).
struct GeoJSON: Encodable {
    var type = "FeatureCollection"
    var features: [Feature]
    var next_cursor: String?

    struct Feature: Encodable {
        var type = "Feature"
        var id: Int64
        var geometry: Point?
        var properties: SearchItem

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(id, forKey: .id)
            if let geometry { try container.encode(geometry, forKey: .geometry) } else { try container.encodeNil(forKey: .geometry) }
            try container.encode(properties, forKey: .properties)
        }

        enum CodingKeys: String, CodingKey { case type, id, geometry, properties }
    }

    struct Point: Encodable {
        var type = "Point"
        /// GeoJSON order: longitude, latitude.
        var coordinates: [Double]
    }

    init(items: [SearchItem], nextCursor: String?) {
        features = items.map { item in
            let point = item.camera.latitude.flatMap { latitude in
                item.camera.longitude.map { Point(coordinates: [$0, latitude]) }
            }
            return Feature(id: item.id, geometry: point, properties: item)
        }
        next_cursor = nextCursor
    }
}
