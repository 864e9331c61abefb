import ArgumentParser
import CommandLineSupport
import SystemIO
import Synchronization
import CatalogSQLite
import Foundation
import Ingest
import MediaIO
import WardWatchConfig

/// `wardwatch-bench`: the benchmarks, kept out of the product binary. The recording benchmark runs
/// by default; `search`, `link` and `export` measure the catalog, linking and evidence export.
@main
struct WardWatchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wardwatch-bench",
        abstract: "WardWatch benchmarks: indexing speed (default), search latency, linking, export and a ward.",
        version: wardwatchVersion,
        subcommands: [BenchRecordingCommand.self, BenchSearchCommand.self, BenchLinkCommand.self, BenchExportCommand.self,
                      BenchCommitCommand.self, BenchWardCommand.self],
        defaultSubcommand: BenchRecordingCommand.self)

    static func main() async {
        MallocArenas.limitToOnePerCore()
        await main(nil)
    }
}

struct BenchRecordingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recording",
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
    var format: TableOrJSON = .table

    @Flag(help: "Measure a backlog of files: footage hours indexed per wall-clock hour, one file at a time vs. a worker pool.")
    var backlog = false

    @Option(help: "With --backlog: workers in the pool (0 = one per core).")
    var workers: Int = 0

    @Argument(help: ArgumentHelp("Recording to measure (several with --backlog).", valueName: "file"))
    var files: [String]

    var file: String { files[0] }

    func validate() throws {
        if !(1...1000).contains(`repeat`) { throw ValidationError("--repeat must be from 1 to 1000") }
        if !(0...64).contains(threads) { throw ValidationError("--threads must be from 0 to 64") }
        if !(0...64).contains(workers) { throw ValidationError("--workers must be from 0 to 64") }
        if !backlog && files.count != 1 { throw ValidationError("give one file, or several with --backlog") }
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
        var detector: String
        var analysed_frames: Int
        /// Luma grid plus detector, per analysed frame (median of the index runs).
        var analysis_us_per_frame: Double
    }

    func run() async throws {
        if backlog { return try await runBacklog() }
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        var settings = configuration.indexing
        settings.decoderThreads = threads
        let info = try MediaProbe.probe(path: file)
        let duration = info.durationSeconds ?? 0
        _ = try? Data(contentsOf: URL(fileURLWithPath: file)) // warm the page cache

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }

        var samples: [String: [(wall: Double, cpu: Double, frames: Int)]] = [:]
        let names = ["decode (reference)", "decode, no deblock", "index", "index, no whole-file hash"]
        var analysis: [(frames: Int, seconds: Double)] = []
        for round in 0..<`repeat` {
            samples[names[0], default: []].append(try await timed { try decodeAll(skipLoopFilter: false) })
            samples[names[1], default: []].append(try await timed { try decodeAll(skipLoopFilter: true) })
            // With and without the SHA-256 of the whole file that indexing stores for evidence export.
            for (name, hashing) in [(names[2], true), (names[3], false)] {
                var indexing = settings
                indexing.hashWholeFile = hashing
                samples[name, default: []].append(try await timed {
                    let catalogPath = scratch.appendingPathComponent("round\(round)-\(hashing).sqlite").path
                    let catalog = try SQLiteCatalog(path: catalogPath)
                    let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory,
                                                   settings: indexing, logger: logger)
                    guard case let .indexed(_, _, statistics) = try await indexer.index(path: file, camera: "BENCH") else { return 0 }
                    if hashing { analysis.append((statistics.analysedFrames, statistics.analysisSeconds)) }
                    return statistics.frames
                })
            }
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
            measurements: measurements, peak_rss_mb: Double(usage.ru_maxrss) / 1024,
            detector: settings.motion.model.rawValue, analysed_frames: analysis.first?.frames ?? 0,
            analysis_us_per_frame: median(analysis.map { $0.seconds / Double(max($0.frames, 1)) * 1e6 }))
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
            print("analysis (\(report.detector) detector, on its own thread beside decoding): "
                + "\(fixed(report.analysis_us_per_frame, digits: 0)) µs per analysed frame, \(report.analysed_frames) frames analysed")
        }
    }

    private func decodeAll(skipLoopFilter: Bool) throws -> Int {
        let decoder = try VideoDecoder(path: file, options: DecoderOptions(threads: threads, skipLoopFilter: skipLoopFilter))
        while try decoder.nextFrame() != nil {}
        return decoder.frameCount
    }

    private func timed(_ body: () async throws -> Int) async throws -> (wall: Double, cpu: Double, frames: Int) {
        let cpuBefore = cpuSeconds()
        let start = ContinuousClock.now
        let frames = try await body()
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

    // MARK: - Backlog

    struct BacklogMeasurement: Encodable {
        var name: String
        var workers: Int
        var decoder_threads: Int
        var wall_s: Double
        var cpu_s: Double
        var footage_s: Double
        var footage_hours_per_hour: Double
        var vs_single_file: Double
    }

    /// Indexes the whole backlog three ways, each into a fresh catalog, interleaved `--repeat` times:
    /// one file at a time with all cores on each (the one-shot indexer), and a pool of workers as the
    /// daemon runs it, with one decoder thread per worker and with all cores per worker.
    private func runBacklog() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let base = configuration.indexing
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let pool = workers > 0 ? workers : cores
        var footage = 0.0
        for path in files {
            footage += try MediaProbe.probe(path: path).durationSeconds ?? 0
            _ = try? Data(contentsOf: URL(fileURLWithPath: path)) // warm the page cache
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-backlog-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let layouts = [("one file at a time", 1, threads), ("worker pool", pool, 1), ("worker pool, all threads", pool, threads)]
        var samples: [String: [(wall: Double, cpu: Double)]] = [:]
        for round in 0..<`repeat` {
            for (name, workerCount, decoderThreads) in layouts {
                var settings = base
                settings.decoderThreads = decoderThreads
                let catalog = try SQLiteCatalog(path: scratch.appendingPathComponent("\(round)-\(workerCount)-\(decoderThreads).sqlite").path)
                let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory, settings: settings,
                                               logger: logger)
                var failures: [String] = []
                let measured = try await timed {
                    // Worker w takes files w, w + workers, …: the same share a shared counter would give.
                    let files = self.files
                    let found = await withTaskGroup(of: [String].self) { group in
                        for worker in 0..<workerCount {
                            group.addTask {
                                var failures: [String] = []
                                for index in stride(from: worker, to: files.count, by: workerCount) {
                                    do { _ = try await indexer.index(path: files[index], camera: "BENCH") } catch {
                                        failures.append("\(error)")
                                    }
                                }
                                return failures
                            }
                        }
                        return await group.reduce(into: []) { $0 += $1 }
                    }
                    failures = found
                    return 0
                }
                if let failure = failures.first { throw ValidationError("backlog file failed: \(failure)") }
                samples[name, default: []].append((measured.wall, measured.cpu))
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let singleWall = median(samples[layouts[0].0]!.map(\.wall))
        let rows = layouts.map { name, workerCount, decoderThreads -> BacklogMeasurement in
            let wall = median(samples[name]!.map(\.wall))
            return BacklogMeasurement(
                name: name, workers: workerCount, decoder_threads: decoderThreads == 0 ? cores : decoderThreads, wall_s: wall,
                cpu_s: median(samples[name]!.map(\.cpu)), footage_s: footage, footage_hours_per_hour: footage / wall,
                vs_single_file: singleWall / wall)
        }
        switch format {
        case .json: print(try renderJSON(rows))
        case .table:
            print("backlog: \(files.count) files, \(fixed(footage / 60, digits: 1)) min of footage; \(cores) cores; median of \(`repeat`) runs")
            print(renderTable(
                header: ["LAYOUT", "WORKERS", "DECODER THREADS", "WALL", "CPU", "FOOTAGE h PER h", "vs ONE AT A TIME"],
                rows: rows.map {
                    [$0.name, String($0.workers), String($0.decoder_threads), fixed($0.wall_s, digits: 2) + " s",
                     fixed($0.cpu_s, digits: 2) + " s", fixed($0.footage_hours_per_hour, digits: 1), fixed($0.vs_single_file, digits: 2)]
                }))
        }
    }
}
