import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Motion
import WardWatchConfig
import Workflows

struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Decode recordings, detect motion and store the events in the catalog.",
        discussion: """
            Files already indexed (same content, whatever the name) are skipped. A file that cannot be \
            indexed gets one line on stderr; the others are still indexed, and the exit status is 1.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Camera id the recordings come from.")
    var camera: String

    @Option(help: "Decoder threads per file (0 = one per core). Overrides the configuration.")
    var threads: Int?

    @Option(name: .customLong("include"), help: ArgumentHelp(
        "Region to watch, as normalized points \"x,y x,y x,y …\" (repeatable). Overrides the configuration.",
        valueName: "polygon"))
    var includes: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp(
        "Region to ignore, as normalized points \"x,y x,y x,y …\" (repeatable). Adds to the configuration.",
        valueName: "polygon"))
    var excludes: [String] = []

    @Option(help: "What to print for each file: table, json or csv.")
    var format: OutputFormat = .table

    /// What the files are to their camera.
    enum StreamOption: String, ExpressibleByArgument, CaseIterable {
        /// The camera records one stream: index motion from it and play it back.
        case single
        /// The camera's sub-stream: index motion from it; events play from the main stream when it is indexed.
        case sub
        /// The camera's main stream: fingerprint and attach it to the sub-stream's events, without decoding it.
        case main
    }

    @Option(help: ArgumentHelp(
        "single (one-stream camera), sub (index motion from the sub-stream) or main (attach a main-stream file to the sub-stream's events).",
        valueName: "stream"))
    var stream: StreamOption = .single

    @Option(help: "exact (decode every frame) or fast (triage on packets and keyframes). Overrides indexing.mode.")
    var mode: IndexMode?

    @Argument(help: ArgumentHelp("Recordings to index.", valueName: "file"))
    var files: [String]

    func validate() throws {
        guard !camera.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--camera must not be empty") }
        for text in includes + excludes { _ = try parsePolygon(text) }
        if let threads, !(0...64).contains(threads) { throw ValidationError("--threads must be from 0 to 64") }
    }

    func run() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let catalog = try await global.openStore(configuration)
        var settings = configuration.indexing
        if let threads { settings.decoderThreads = threads }
        if let mode { settings.mode = mode }
        if !includes.isEmpty { settings.motion.include = try includes.map(parsePolygon) }
        settings.motion.exclude += try excludes.map(parsePolygon)
        let indexer = RecordingIndexer(store: catalog.store, stillsDirectory: catalog.stillsDirectory, settings: settings,
                                       logger: logger)
        let progress = ProgressBar()
        var rows: [FileRow] = []
        var failed = 0
        for file in files {
            do {
                let outcome: IndexOutcome
                switch stream {
                case .main: outcome = try await indexer.attachMain(path: file, camera: camera)
                case .single, .sub:
                    outcome = try await indexer.index(path: file, camera: camera, stream: stream == .sub ? .sub : .main,
                                                      progress: { progress.update(label: file, fraction: $0) })
                }
                progress.finish()
                switch outcome {
                case let .indexed(recording, events, statistics):
                    rows.append(FileRow(path: file, status: "indexed", recording: recording.id, events: events.count,
                                        frames: statistics.frames, footage_s: statistics.footageSeconds,
                                        speed: statistics.wallSeconds > 0 ? statistics.footageSeconds / statistics.wallSeconds : nil,
                                        start: Timestamp.format(recording.start), start_source: recording.startSource.rawValue,
                                        decoded_frames: statistics.decodedFrames, gops: statistics.triage?.gops,
                                        decoded_gops: statistics.triage?.decodedGOPs,
                                        constant_bitrate: statistics.triage?.constantBitrate))
                case let .alreadyIndexed(recording):
                    rows.append(FileRow(path: file, status: "already indexed", recording: recording.id, events: nil,
                                        frames: nil, footage_s: recording.durationSeconds, speed: nil,
                                        start: Timestamp.format(recording.start), start_source: recording.startSource.rawValue))
                }
            } catch {
                progress.finish()
                printError("wardwatch: error: \(error)")
                failed += 1
            }
        }
        // Incidents and tips that the new footage may show are linked again (nothing to do without reports).
        if case let .failure(error) = await WardWorkflows.configured(configuration, catalog: catalog, logger: logger)
            .followUp.recordingCommitted() {
            printError("wardwatch: linking failed; run wardwatch link run: \(error)")
        }
        await catalog.close()
        switch format {
        case .json: if !rows.isEmpty { print(try renderJSON(rows)) }
        case .csv: print(renderCSV(header: FileRow.header, rows: rows.map(\.cells)), terminator: "")
        case .table: if !rows.isEmpty { print(renderTable(header: FileRow.header, rows: rows.map(\.cells))) }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    struct FileRow: Encodable {
        var path: String
        var status: String
        var recording: Int64
        var events: Int?
        var frames: Int?
        var footage_s: Double
        var speed: Double?
        var start: String
        var start_source: String
        /// Frames decoded in full, and fast mode's triage (JSON only).
        var decoded_frames: Int?
        var gops: Int?
        var decoded_gops: Int?
        var constant_bitrate: Bool?

        static let header = ["FILE", "STATUS", "RECORDING", "EVENTS", "FRAMES", "FOOTAGE", "SPEED", "START", "SOURCE"]
        var cells: [String] {
            [path, status, String(recording), events.map(String.init) ?? "", frames.map(String.init) ?? "",
             fixed(footage_s, digits: 1) + " s", speed.map { fixed($0, digits: 1) + "x" } ?? "", start, start_source]
        }
    }
}

/// Parses "x,y x,y x,y" (normalized) into a polygon.
func parsePolygon(_ text: String) throws -> Polygon {
    var points: [Polygon.Point] = []
    for pair in text.split(whereSeparator: { $0 == " " || $0 == ";" }) {
        let parts = pair.split(separator: ",")
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) else {
            throw ValidationError("polygon '\(text)': '\(pair)' is not an x,y point")
        }
        guard (0...1).contains(x), (0...1).contains(y) else {
            throw ValidationError("polygon '\(text)': points are normalized, 0 to 1 (got \(pair))")
        }
        points.append(Polygon.Point(x: x, y: y))
    }
    guard points.count >= 3 else { throw ValidationError("polygon '\(text)': needs at least 3 points") }
    return Polygon(points)
}

extension IndexMode: ExpressibleByArgument {}
