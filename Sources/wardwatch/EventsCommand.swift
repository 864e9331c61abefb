import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import WardWatchConfig

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List motion events in time order.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this camera.")
    var camera: String?

    @Option(help: ArgumentHelp("Events that end after this time (ISO 8601; no offset = the configured zone).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Events that start before this time.", valueName: "time"))
    var to: String?

    @Option(help: "At most this many events.")
    var limit: Int?

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        _ = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let zone = configuration.timeZone
        let query = EventQuery(camera: camera, from: try optionTime(from, "--from", zone: zone),
                               to: try optionTime(to, "--to", zone: zone), limit: limit)
        if let from = query.from, let to = query.to, to <= from { throw ValidationError("--to must be after --from") }
        let opened = try await global.openStore(configuration)
        let catalog = opened.store
        let events = try await catalog.events(matching: query)
        var recordings: [Int64: Recording] = [:]
        for event in events where recordings[event.recordingID] == nil {
            recordings[event.recordingID] = try await catalog.recording(id: event.recordingID)
        }
        let items = events.map { EventItem($0, recording: recordings[$0.recordingID], stills: opened.stillsDirectory, zone: zone) }
        switch format {
        case .json: print(try renderJSON(items))
        case .csv: print(renderCSV(header: EventItem.csvHeader, rows: items.map(\.csvCells)), terminator: "")
        case .table:
            print(renderTable(
                header: ["ID", "CAMERA", "START (local)", "DURATION", "SCORE", "AREA", "RECORDING", "OFFSET"],
                rows: items.map {
                    [String($0.id), $0.camera, $0.start_local, fixed($0.duration_s, digits: 1) + " s",
                     fixed($0.score, digits: 3), fixed($0.area * 100, digits: 2) + "%",
                     ($0.recording_path as NSString).lastPathComponent, fixed($0.offset_s, digits: 1) + " s"]
                }))
        }
    }
}

/// One event as the CLI prints it (JSON keys are part of the interface).
struct EventItem: Encodable {
    var id: Int64
    var camera: String
    var recording: Int64
    var recording_path: String
    var start: String
    var end: String
    var start_local: String
    var duration_s: Double
    var offset_s: Double
    var clip_start: String
    var clip_end: String
    var peak: String
    var score: Double
    var mean_score: Double
    var area: Double
    var bbox: SearchResultItem.Box
    var still: String?

    init(_ event: MotionEvent, recording: Recording?, stills: String, zone: TimeZone) {
        id = event.id
        camera = event.camera
        self.recording = event.recordingID
        recording_path = recording?.path ?? ""
        start = Timestamp.format(event.start)
        end = Timestamp.format(event.end)
        start_local = Timestamp.format(event.start, in: zone)
        duration_s = (event.durationSeconds * 1000).rounded() / 1000
        offset_s = (event.offsetSeconds * 1000).rounded() / 1000
        clip_start = Timestamp.format(event.clipStart)
        clip_end = Timestamp.format(event.clipEnd)
        peak = Timestamp.format(event.peakTime)
        score = (event.peakScore * 10000).rounded() / 10000
        mean_score = (event.meanScore * 10000).rounded() / 10000
        area = (event.area * 100000).rounded() / 100000
        bbox = SearchResultItem.Box(event.boundingBox)
        still = event.still.map { (stills as NSString).appendingPathComponent($0) }
    }

    static let csvHeader = ["id", "camera", "recording", "recording_path", "start", "end", "start_local", "duration_s",
                            "offset_s", "score", "area", "bbox_x", "bbox_y", "bbox_w", "bbox_h", "still"]
    var csvCells: [String] {
        [String(id), camera, String(recording), recording_path, start, end, start_local, String(duration_s),
         String(offset_s), String(score), String(area), String(bbox.x), String(bbox.y), String(bbox.w), String(bbox.h),
         still ?? ""]
    }
}
