import ArgumentParser
import CatalogSQLite
import Foundation
import Ingest
import MediaIO
import WardWatchConfig

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure indexing speed on a file next to a plain libavcodec decode of it, in one run.",
        discussion: """
            Runs, interleaved and --repeat times each: (1) a full decode with libavcodec and the same thread \
            count (the reference), (2) the same decode with the deblocking filter skipped (the decoder options \
            indexing uses when indexing.fast_decode is on), and (3) a complete index of the file into a \
            throw-away catalog (fingerprint, decode, detection, stills, commit). Prints the median of each.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Decoder threads (0 = one per core).")
    var threads: Int = 0

    @Option(help: "Runs of each measurement; the median is reported.")
    var `repeat`: Int = 3

    @Option(help: "Output format: table or json.")
    var format: ProbeCommand.ProbeFormat = .table

    @Argument(help: ArgumentHelp("Recording to measure.", valueName: "file"))
    var file: String

    func validate() throws {
        if `repeat` < 1 { throw ValidationError("--repeat must be at least 1") }
        if threads < 0 { throw ValidationError("--threads must be 0 or more") }
    }

    struct Measurement: Encodable {
        var name: String
        var wall_s: Double
        var cpu_s: Double
        var frames: Int
        var fps: Double
        var realtime: Double
        var vs_reference: Double
    }

    struct Report: Encodable {
        var file: String
        var duration_s: Double
        var threads: Int
        var cores: Int
        var ffmpeg: String
        var measurements: [Measurement]
        var peak_rss_mb: Double
    }

    func run() throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        var settings = try indexSettings(configuration)
        settings.decoderThreads = threads
        let info = try MediaProbe.probe(path: file)
        let duration = info.durationSeconds ?? 0
        _ = try? Data(contentsOf: URL(fileURLWithPath: file)) // warm the page cache

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }

        var samples: [String: [(wall: Double, cpu: Double, frames: Int)]] = [:]
        let names = ["decode (reference)", "decode, no deblock", "index"]
        for round in 0..<`repeat` {
            samples[names[0], default: []].append(try timed { try decodeAll(skipLoopFilter: false) })
            samples[names[1], default: []].append(try timed { try decodeAll(skipLoopFilter: true) })
            samples[names[2], default: []].append(try timed {
                let catalogPath = scratch.appendingPathComponent("round\(round).sqlite").path
                let catalog = try SQLiteCatalog(path: catalogPath)
                let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory,
                                               settings: settings, logger: logger)
                guard case let .indexed(_, _, statistics) = try indexer.index(path: file, camera: "BENCH") else { return 0 }
                return statistics.frames
            })
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let referenceWall = median(samples[names[0]]!.map(\.wall))
        let measurements = names.map { name -> Measurement in
            let runs = samples[name]!
            let wall = median(runs.map(\.wall))
            let frames = runs[0].frames
            return Measurement(name: name, wall_s: wall, cpu_s: median(runs.map(\.cpu)), frames: frames,
                               fps: Double(frames) / wall, realtime: duration / wall, vs_reference: referenceWall / wall)
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let report = Report(
            file: file, duration_s: duration, threads: threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads,
            cores: ProcessInfo.processInfo.activeProcessorCount, ffmpeg: FFmpegLibrary.versionDescription,
            measurements: measurements, peak_rss_mb: Double(usage.ru_maxrss) / 1024)
        switch format {
        case .json: print(try renderJSON(report))
        case .table:
            print("file: \(file) (\(info.video.codec) \(info.video.width)x\(info.video.height), \(fixed(duration, digits: 1)) s)")
            print("threads: \(report.threads) on \(report.cores) cores; \(report.ffmpeg); median of \(`repeat`) runs")
            print(renderTable(
                header: ["MEASUREMENT", "WALL", "CPU", "FRAMES", "FPS", "x REALTIME", "vs REFERENCE"],
                rows: measurements.map {
                    [$0.name, fixed($0.wall_s, digits: 2) + " s", fixed($0.cpu_s, digits: 2) + " s", String($0.frames),
                     fixed($0.fps, digits: 1), fixed($0.realtime, digits: 1) + "x", fixed($0.vs_reference, digits: 2)]
                }))
            print("peak RSS (whole process, all runs): \(fixed(report.peak_rss_mb, digits: 1)) MB")
        }
    }

    private func decodeAll(skipLoopFilter: Bool) throws -> Int {
        let decoder = try VideoDecoder(path: file, options: DecoderOptions(threads: threads, skipLoopFilter: skipLoopFilter))
        while try decoder.nextFrame() != nil {}
        return decoder.frameCount
    }

    private func timed(_ body: () throws -> Int) throws -> (wall: Double, cpu: Double, frames: Int) {
        let cpuBefore = cpuSeconds()
        let start = ContinuousClock.now
        let frames = try body()
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (wall, cpuSeconds() - cpuBefore, frames)
    }

    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
