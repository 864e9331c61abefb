import ArgumentParser
import Catalog
import CommandLineSupport
import CatalogSQLite
import Foundation
import Ingest
import Logging
import MediaIO
import Synchronization
import WardWatchConfig

/// `wardwatch-bench ward`: can one box index a ward? Camera-hours per wall-clock hour for the main
/// stream (exact and fast) and the sub-stream, each next to a plain decode of the same files on the
/// same scheduler, with recall against the truth and peak memory.
struct BenchWardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ward",
        abstract: "Measure a ward: main/exact, main/fast and sub/exact camera-hours per hour, next to decode-only references.",
        discussion: """
            Generates deterministic two-stream cameras (1920x1080 main at constant quality, and a 640x360 \
            512 kbit/s sub-stream downscaled from the same pictures; mostly quiet, with sparse moving boxes \
            and their truth) into --out, or measures a folder laid out the same way (CAMxx/main, CAMxx/sub, \
            truth.json). Every measurement runs the daemon's scheduler (work queue, oldest first, work plan) \
            over all cameras' files into a fresh catalog.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Cameras to generate.")
    var cameras: Int = 4

    @Option(help: "Minutes of footage per camera (one file per minute and stream).")
    var minutes: Int = 2

    @Option(help: "Folder to generate into (kept and reused when its parameters match); default: a temporary folder.")
    var out: String?

    @Option(help: "Measure this folder (CAMxx/main, CAMxx/sub, optional truth.json) instead of generating.")
    var folder: String?

    @Option(help: "Workers (0 = the work plan's choice: one per core).")
    var workers: Int = 0

    @Option(help: "Output format: table or json.")
    var format: TableOrJSON = .table

    func validate() throws {
        if cameras < 1 || minutes < 1 { throw ValidationError("--cameras and --minutes must be at least 1") }
        if workers < 0 { throw ValidationError("--workers must be 0 or more") }
    }

    struct Row: Encodable {
        var run: String
        var files: Int
        var footage_h: Double
        var wall_s: Double
        var cpu_s: Double
        var camera_hours_per_hour: Double
        var reference: String
        var reference_wall_s: Double
        var reference_cpu_s: Double
        var reference_camera_hours_per_hour: Double
        var vs_reference: Double
        var recall: Double?
        var recall_by_length: [String: Double]?
        var peak_rss_mb: Double
    }

    struct Report: Encodable {
        var cameras: Int
        var footage_h_per_stream: Double
        var cores: Int
        var workers: Int
        var load_average_1m: Double
        var ffmpeg: String
        var rows: [Row]
    }

    func run() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let base = configuration.indexing
        let root: String
        var scratch: String?
        if let folder {
            root = folder
        } else {
            root = out ?? (FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-ward-\(getpid())").path)
            if out == nil { scratch = root }
            try Self.generate(root: root, cameras: cameras, minutes: minutes)
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let ward = try Self.load(root: root)
        let plan = WorkPlan(cores: ProcessInfo.processInfo.activeProcessorCount, workers: workers, decoderThreads: 0)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-ward-runs-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: work) }

        func items(_ stream: String) -> [WardScheduler.Item] {
            ward.files.filter { $0.stream == stream }.map { WardScheduler.Item(path: $0.path, camera: $0.camera, modified: $0.start) }
        }
        let footage = Dictionary(grouping: ward.files, by: \.stream).mapValues { $0.reduce(0) { $0 + $1.duration } }

        // Decode-only references: every frame of each file, on the same scheduler.
        func reference(_ stream: String) async throws -> Measured {
            try await measure(items(stream), plan: plan) { item, threads in
                // Decoding blocks: on a thread of its own, off the cooperative pool.
                let failure: String? = await withCheckedContinuation { continuation in
                    let thread = Thread {
                        do {
                            let decoder = try VideoDecoder(path: item.path, options: DecoderOptions(threads: threads))
                            while try decoder.nextFrame() != nil {}
                            continuation.resume(returning: nil)
                        } catch {
                            continuation.resume(returning: "\(error)")
                        }
                    }
                    thread.start()
                }
                if let failure { throw ValidationError(failure) }
            }
        }
        func indexRun(_ name: String, stream: String, mode: IndexMode) async throws -> (Measured, SQLiteCatalog) {
            let catalog = try SQLiteCatalog(path: (work as NSString).appendingPathComponent("\(name.replacingOccurrences(of: "/", with: "-")).sqlite"))
            var jobs = items(stream)
            if stream == "sub" { jobs += items("main") }  // the main files are attached, as the daemon does
            let mainPaths = Set(items("main").map(\.path))
            let measured = try await measure(jobs, plan: plan) { item, threads in
                var settings = base
                settings.mode = mode
                settings.decoderThreads = mode == .fast ? 1 : threads
                let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory, settings: settings,
                                               logger: logger)
                if stream == "sub" && mainPaths.contains(item.path) {
                    _ = try await indexer.attachMain(path: item.path, camera: item.camera)
                } else {
                    _ = try await indexer.index(path: item.path, camera: item.camera, stream: stream == "sub" ? .sub : .main)
                }
            }
            return (measured, catalog)
        }

        let mainReference = try await reference("main")
        let (mainExact, exactCatalog) = try await indexRun("main/exact", stream: "main", mode: .exact)
        let (mainFast, fastCatalog) = try await indexRun("main/fast", stream: "main", mode: .fast)
        let subReference = try await reference("sub")
        let (subExact, subCatalog) = try await indexRun("sub/exact", stream: "sub", mode: .exact)

        func row(_ name: String, stream: String, _ measured: Measured, _ reference: Measured, catalog: SQLiteCatalog) async throws
            -> Row {
            let hours = (footage[stream] ?? 0) / 3600
            let recall = ward.truth == nil ? nil : try await Self.recall(catalog: catalog, ward: ward)
            return Row(run: name, files: items(stream).count, footage_h: hours, wall_s: measured.wall, cpu_s: measured.cpu,
                       camera_hours_per_hour: hours / (measured.wall / 3600), reference: "decode \(stream)",
                       reference_wall_s: reference.wall, reference_cpu_s: reference.cpu,
                       reference_camera_hours_per_hour: hours / (reference.wall / 3600), vs_reference: reference.wall / measured.wall,
                       recall: recall?.overall, recall_by_length: recall?.byLength, peak_rss_mb: measured.peakRSS)
        }
        let rows = [
            try await row("main/exact", stream: "main", mainExact, mainReference, catalog: exactCatalog),
            try await row("main/fast", stream: "main", mainFast, mainReference, catalog: fastCatalog),
            try await row("sub/exact", stream: "sub", subExact, subReference, catalog: subCatalog),
        ]
        var load = [0.0, 0.0, 0.0]
        _ = getloadavg(&load, 3)
        let report = Report(cameras: Set(ward.files.map(\.camera)).count, footage_h_per_stream: (footage["main"] ?? 0) / 3600,
                            cores: plan.cores, workers: plan.workers, load_average_1m: load[0],
                            ffmpeg: FFmpegLibrary.versionDescription, rows: rows)
        switch format {
        case .json: print(try renderJSON(report))
        case .table:
            print("ward: \(report.cameras) cameras, \(fixed(report.footage_h_per_stream * 60, digits: 1)) min per stream; "
                  + "\(plan.cores) cores, \(plan.workers) workers; load average \(fixed(load[0], digits: 1)); \(report.ffmpeg)")
            print(renderTable(
                header: ["RUN", "FILES", "WALL", "CPU", "CAM-h PER h", "REFERENCE", "REF WALL", "REF CPU", "REF CAM-h PER h",
                         "vs REF", "RECALL", "PEAK RSS"],
                rows: rows.map {
                    [$0.run, String($0.files), fixed($0.wall_s, digits: 1) + " s", fixed($0.cpu_s, digits: 1) + " s",
                     fixed($0.camera_hours_per_hour, digits: 1), $0.reference, fixed($0.reference_wall_s, digits: 1) + " s",
                     fixed($0.reference_cpu_s, digits: 1) + " s", fixed($0.reference_camera_hours_per_hour, digits: 1),
                     fixed($0.vs_reference, digits: 2), $0.recall.map { fixed($0, digits: 3) } ?? "n/a",
                     fixed($0.peak_rss_mb, digits: 0) + " MB"]
                }))
            for row in rows {
                if let byLength = row.recall_by_length {
                    print("\(row.run) recall by event length: " + byLength.sorted { $0.key < $1.key }
                        .map { "\($0.key) \(fixed($0.value, digits: 3))" }.joined(separator: ", "))
                }
            }
            print("camera-hours per hour = footage indexed / wall time; CPU = process CPU seconds (user + system); "
                  + "peak RSS = the process's high-water mark during that run (reset between runs).")
        }
    }

    // MARK: - Measuring

    struct Measured {
        var wall: Double
        var cpu: Double
        var peakRSS: Double
    }

    func measure(_ items: [WardScheduler.Item], plan: WorkPlan,
                 work: @escaping @Sendable (WardScheduler.Item, Int) async throws -> Void) async throws -> Measured {
        Self.resetPeakRSS()
        let cpuBefore = Self.cpuSeconds()
        let start = ContinuousClock.now
        let failures = await WardScheduler.run(items, plan: plan, work: work)
        let elapsed = ContinuousClock.now - start
        if let (path, reason) = failures.first { throw ValidationError("\(path): \(reason)") }
        return Measured(wall: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                        cpu: Self.cpuSeconds() - cpuBefore, peakRSS: Self.peakRSS())
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Linux: writing 5 to clear_refs resets the process's peak RSS (VmHWM).
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmHWM in MB (the high-water mark since the last reset).
    static func peakRSS() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }

    // MARK: - The ward on disk

    struct WardFile {
        var path: String
        var camera: String
        var stream: String
        var start: Date
        var duration: Double
    }

    struct Ward {
        var files: [WardFile]
        /// Per camera: truth intervals in seconds since 1970.
        var truth: [String: [[Double]]]?
    }

    static func load(root: String) throws -> Ward {
        let manager = FileManager.default
        var files: [WardFile] = []
        let cameras = try manager.contentsOfDirectory(atPath: root).filter { name in
            var isFolder: ObjCBool = false
            return manager.fileExists(atPath: (root as NSString).appendingPathComponent(name), isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
        for camera in cameras {
            for stream in ["main", "sub"] {
                let folder = ((root as NSString).appendingPathComponent(camera) as NSString).appendingPathComponent(stream)
                guard let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
                for name in names.sorted() where !name.hasPrefix(".") {
                    let path = (folder as NSString).appendingPathComponent(name)
                    let info = try MediaProbe.probe(path: path)
                    let start = info.creationTimeTag.flatMap { Timestamp.parse($0, defaultZone: TimeZone(identifier: "UTC")!) }
                        ?? Date(timeIntervalSince1970: 0)
                    files.append(WardFile(path: path, camera: camera, stream: stream, start: start, duration: info.durationSeconds ?? 0))
                }
            }
        }
        guard files.contains(where: { $0.stream == "main" }), files.contains(where: { $0.stream == "sub" }) else {
            throw ValidationError("\(root): expected CAMxx/main and CAMxx/sub folders with recordings")
        }
        let truthPath = (root as NSString).appendingPathComponent("truth.json")
        let truth = (try? Data(contentsOf: URL(fileURLWithPath: truthPath))).flatMap {
            try? JSONDecoder().decode([String: [[Double]]].self, from: $0)
        }
        return Ward(files: files, truth: truth)
    }

    /// Overall recall, and recall by event length in GOPs (2 s): "<1 GOP", "1-2 GOP", ">=2 GOP".
    static func recall(catalog: SQLiteCatalog, ward: Ward) async throws -> (overall: Double, byLength: [String: Double]) {
        guard let truth = ward.truth else { return (0, [:]) }
        var found: [String: (hit: Int, all: Int)] = [:]
        var hits = 0, all = 0
        for (camera, intervals) in truth {
            let events = try await catalog.events(matching: EventQuery(camera: camera))
            for interval in intervals where interval.count == 2 {
                let start = interval[0], end = interval[1]
                let hit = events.contains { event in
                    event.start.timeIntervalSince1970 < end + 1 && event.end.timeIntervalSince1970 > start - 1
                }
                let length = end - start
                let bucket = length < 2 ? "<1 GOP" : length < 4 ? "1-2 GOP" : ">=2 GOP"
                found[bucket, default: (0, 0)].all += 1
                if hit { found[bucket, default: (0, 0)].hit += 1; hits += 1 }
                all += 1
            }
        }
        return (all > 0 ? Double(hits) / Double(all) : 1, found.mapValues { Double($0.hit) / Double(max($0.all, 1)) })
    }

    /// Deterministic cameras: per camera and minute, a main and a sub file; about one event a
    /// minute, lengths cycling through 1, 3, 6 and 10 s (so some are shorter than a 2 s GOP).
    static func generate(root: String, cameras: Int, minutes: Int) throws {
        let stamp = (root as NSString).appendingPathComponent(".ward-\(cameras)x\(minutes)-v1")
        if FileManager.default.fileExists(atPath: stamp) { return }
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let epoch = 1_720_598_400.0  // 2024-07-10T08:00:00Z
        let lengths = [1.0, 3.0, 6.0, 10.0]
        var tasks: [(String, Int)] = []
        for camera in 1...cameras { for minute in 0..<minutes { tasks.append((String(format: "CAM%02d", camera), minute)) } }
        let failures = Mutex<[String]>([])
        let table = Mutex<[String: [[Double]]]>([:])
        let work = tasks
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let (camera, minute) = work[index]
            let number = Int(camera.dropFirst(3)) ?? 0
            let seed = UInt64(number * 1000 + minute + 1)
            let length = lengths[(number + minute) % lengths.count]
            let at = Double(5 + (number * 17 + minute * 29) % 40)
            let movers = (number + minute) % 5 == 4 ? [] : [SyntheticCamera.Mover(
                start: at, end: at + length, top: 0.45, width: 0.06, height: 0.22, luma: 30, leftToRight: minute % 2 == 0)]
            let start = epoch + Double(minute * 60)
            let name = "\(camera)_" + Self.compact(start) + ".mp4"
            let creation = Timestamp.format(Date(timeIntervalSince1970: start))
            do {
                for stream in ["main", "sub"] {
                    try FileManager.default.createDirectory(atPath: "\(root)/\(camera)/\(stream)", withIntermediateDirectories: true)
                }
                try SyntheticCamera.record(
                    main: .init(path: "\(root)/\(camera)/main/\(name)", width: 1920, height: 1080, crf: 26, gopFrames: 50),
                    sub: .init(path: "\(root)/\(camera)/sub/\(name)", width: 640, height: 360, bitRate: 512_000, gopFrames: 50),
                    seconds: 60, fps: 25, seed: seed, creationTime: creation, movers: movers)
                table.withLock { $0[camera, default: []] += movers.map { [start + $0.start, start + $0.end] } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        if let failure = failures.withLock({ $0.first }) { throw ValidationError("generating the ward failed: \(failure)") }
        let truth = table.withLock { $0 }
        try JSONEncoder().encode(truth).write(to: URL(fileURLWithPath: (root as NSString).appendingPathComponent("truth.json")))
        _ = FileManager.default.createFile(atPath: stamp, contents: nil)
    }

    static func compact(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
