import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import Workflows
import WardWatchConfig

struct SearchCommand: AsyncParsableCommand {
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
    @Option(help: ArgumentHelp(
        "Only events whose motion touched this part of the picture: x,y,w,h normalized (0–1). Needs one --camera.",
        valueName: "x,y,w,h"))
    var region: String?
    @Option(help: ArgumentHelp(
        "Direction of travel: left-to-right, right-to-left, top-to-bottom, bottom-to-top, or a compass heading "
            + "(N, NE, …, degrees) for one --camera whose view is configured.",
        valueName: "direction"))
    var direction: String?
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

    func run() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        var parameters = SearchParameters()
        parameters.cameras = cameras
        parameters.ward = ward
        parameters.street = street
        parameters.near = near
        parameters.radius = radius
        parameters.bbox = bbox
        parameters.from = from
        parameters.to = to
        parameters.last = last
        parameters.minScore = minScore
        parameters.minDuration = minDuration
        parameters.minArea = minArea
        parameters.region = region
        parameters.direction = direction
        for camera in configuration.cameras { parameters.cameraViews[camera.id] = camera.viewDirection }
        parameters.sort = sort.rawValue
        parameters.limit = limit
        parameters.cursor = cursor
        let query: SearchQuery
        do {
            query = try parameters.query(zone: configuration.timeZone, now: Date())
        } catch let error as SearchParameterError {
            // Named as typed here: --min-duration, not min_duration.
            throw ValidationError("--\(error.field.replacingOccurrences(of: "_", with: "-")) \(error.message)")
        }
        let opened = try await global.openStore(configuration)
        // Every search is attributable: the command line's are audited under the system user.
        let workflows = WardWorkflows.configured(configuration, catalog: opened, logger: logger)
        let page: SearchPage
        do {
            page = try await workflows.search(query, for: cliRequester())
        } catch let error as WorkflowError where error.code == .invalid {
            throw ValidationError(error.message)
        }
        let items = page.hits.map {
            SearchResultItem($0, zone: configuration.timeZone,
                             still: $0.event.still.map { (opened.stillsDirectory as NSString).appendingPathComponent($0) },
                             recordingPath: $0.recordingPath)
        }
        switch format {
        case .json: print(try renderJSON(SearchResultList(events: items, nextCursor: page.nextCursor)))
        case .geojson: print(try renderJSON(SearchGeoJSON(items: items, nextCursor: page.nextCursor)))
        case .csv: print(renderCSV(header: SearchResultItem.csvHeader, rows: items.map(\.csvCells)), terminator: "")
        case .table:
            print(renderTable(
                header: ["ID", "CAMERA", "PLACE", "START (local)", "DURATION", "SCORE", "RECORDING @ OFFSET"]
                    + (query.near != nil ? ["DISTANCE"] : []),
                rows: items.map {
                    [String($0.id), $0.camera.id, $0.camera.street ?? $0.camera.name ?? "", $0.start_local,
                     fixed($0.duration_s, digits: 1) + " s", fixed($0.score, digits: 3),
                     (($0.playback.path ?? "") as NSString).lastPathComponent + " @ " + fixed($0.playback.offset_s, digits: 1) + " s"]
                        + ($0.distance_m.map { [fixed($0, digits: 0) + " m"] } ?? [])
                }))
            if let next = page.nextCursor { print("more: --cursor \(next)") }
        }
        await opened.close()
    }
}
