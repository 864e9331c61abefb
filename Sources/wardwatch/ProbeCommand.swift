import ArgumentParser
import CommandLineSupport
import Catalog
import Foundation
import Ingest
import MediaIO
import WardWatchConfig

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show what a recording's container says: format, duration, video, start time and its source, location.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: table or json.")
    var format: ProbeFormat = .table

    @Argument(help: ArgumentHelp("Recordings to probe.", valueName: "file"))
    var files: [String]

    typealias ProbeFormat = TableOrJSON

    struct Report: Encodable {
        var path: String
        var format: String
        var duration_s: Double?
        var bit_rate: Int64?
        var start: String?
        var start_source: String?
        var video: Video
        var audio_streams: Int
        var location: Location?
        var tags: [String: String]

        struct Video: Encodable {
            var codec: String
            var profile: String?
            var width: Int
            var height: Int
            var fps: Double?
            var time_base: String
            var frames: Int?
            var pixel_format: String?
            var keyframe_interval_s: Double?
        }

        struct Location: Encodable {
            var iso6709: String
            var latitude: Double?
            var longitude: Double?
        }
    }

    func run() throws {
        _ = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let resolver = configuration.indexing.start
        var reports: [Report] = []
        var failed = 0
        for file in files {
            do {
                let info = try MediaProbe.probe(path: file)
                let start = resolver.resolve(info)
                let point = info.locationTag.flatMap(ISO6709.parse)
                reports.append(Report(
                    path: file, format: info.format, duration_s: info.durationSeconds, bit_rate: info.bitRate,
                    start: start.map { Timestamp.format($0.start) }, start_source: start?.source.rawValue,
                    video: .init(codec: info.video.codec, profile: info.video.profile, width: info.video.width,
                                 height: info.video.height, fps: info.video.averageFrameRate,
                                 time_base: info.video.timeBase, frames: info.video.frameCount,
                                 pixel_format: info.video.pixelFormat,
                                 keyframe_interval_s: info.video.keyframeIntervalSeconds),
                    audio_streams: info.audioStreamCount,
                    location: info.locationTag.map { .init(iso6709: $0, latitude: point?.latitude, longitude: point?.longitude) },
                    tags: info.tags))
            } catch {
                printError("wardwatch: error: \(error)")
                failed += 1
            }
        }
        switch format {
        case .json:
            if !reports.isEmpty { print(try renderJSON(reports)) }
        case .table:
            print(renderTable(
                header: ["FILE", "FORMAT", "DURATION", "CODEC", "SIZE", "FPS", "GOP", "START", "SOURCE", "LOCATION"],
                rows: reports.map {
                    [($0.path as NSString).lastPathComponent, $0.format.split(separator: ",").first.map(String.init) ?? $0.format,
                     fixed($0.duration_s, digits: 2) + " s", $0.video.codec, "\($0.video.width)x\($0.video.height)",
                     fixed($0.video.fps, digits: 2), $0.video.keyframe_interval_s.map { fixed($0, digits: 2) + " s" } ?? "",
                     $0.start ?? "", $0.start_source ?? "", $0.location?.iso6709 ?? ""]
                }))
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

