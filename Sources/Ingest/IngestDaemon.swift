import Catalog
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// What the daemon reads and writes: its file records, recordings and events, and alerts.
public typealias DaemonStore = IngestQueueStore & RecordingStore & AlertOutboxStore & RecordingStreamStore

/// The long-running indexer: scans every camera folder, waits until a file is complete, and
/// indexes it on a bounded pool of workers. Its state lives in the catalog, so a restart after a
/// crash resumes exactly where the last commit left off.
///
/// Shutdown (SIGTERM/SIGINT through the service group) stops new work and abandons files being
/// decoded — they were not committed and go back to pending — so the process exits in well under
/// a second per worker. SIGHUP reloads the configuration through `reload`.
public final class IngestDaemon: Service, Sendable {
    /// What the daemon needs from the configuration, swapped atomically on reload.
    public struct Snapshot: Sendable {
        public var settings: DaemonSettings
        public var cameras: [WatchedCamera]
        public var settingsForCamera: @Sendable (WatchedCamera) throws -> IndexSettings
        public var alerts: @Sendable (MotionEvent) -> [NewAlert]
        /// Health alerts for (camera, problem, file, time, deterministic key).
        public var healthAlerts: @Sendable (_ camera: String, _ problem: String, _ file: String?, _ time: Date,
                                            _ key: String) -> [NewAlert]
        /// Runs right after a recording is committed, and once at start (to catch up after a
        /// crash): the daemon relinks incidents and tips to the new events here.
        public var afterCommit: @Sendable () async -> Void
        /// `indexing.decoder_threads`: 0 lets the work plan choose per file.
        public var decoderThreads: Int = 0

        public init(settings: DaemonSettings, cameras: [WatchedCamera],
                    settingsForCamera: @escaping @Sendable (WatchedCamera) throws -> IndexSettings,
                    alerts: @escaping @Sendable (MotionEvent) -> [NewAlert],
                    healthAlerts: @escaping @Sendable (String, String, String?, Date, String) -> [NewAlert],
                    afterCommit: @escaping @Sendable () async -> Void = {}) {
            self.settings = settings
            self.cameras = cameras
            self.settingsForCamera = settingsForCamera
            self.alerts = alerts
            self.healthAlerts = healthAlerts
            self.afterCommit = afterCommit
        }
    }

    private let store: any DaemonStore
    private let stillsDirectory: String
    private let logger: Logger
    private let snapshot: Mutex<Snapshot>
    private let reload: @Sendable () async throws -> Snapshot
    private let stopping = Atomic<Bool>(false)
    /// Stands in for "last file seen" for cameras that have delivered nothing yet.
    private let started = Date()
    /// Files seen but not yet complete: path → (size, mtime, when that pair was first seen).
    private let settling = Mutex<[String: (Int64, Date, ContinuousClock.Instant)]>([:])

    public init(store: any DaemonStore, stillsDirectory: String, logger: Logger, snapshot: Snapshot,
                reload: @escaping @Sendable () async throws -> Snapshot) {
        self.store = store
        self.stillsDirectory = stillsDirectory
        self.logger = logger
        self.snapshot = Mutex(snapshot)
        self.reload = reload
    }

    public func run() async throws {
        let suspects = try await recoverCrashes()
        await snapshot.withLock { $0 }.afterCommit()
        // Files a crash interrupted go first, one at a time: if one of them kills the process again, it is the
        // only file held, so only its crash is counted, never that of a file that happened to be decoded beside it.
        let alone = snapshot.withLock { $0.decoderThreads } > 0 ? snapshot.withLock { $0.decoderThreads }
            : ProcessInfo.processInfo.activeProcessorCount
        for job in suspects where !stopping.load(ordering: .relaxed) { await process(job, decoderThreads: alone) }
        let queue = WorkQueue(order: snapshot.withLock { $0.settings.order })
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await self.reloadOnHangup() }
                let count = plan.workers
                for _ in 0..<count {
                    group.addTask {
                        while let (job, threads) = await queue.next(plan: self.plan) {
                            await self.process(job, decoderThreads: threads)
                            await queue.finished(job.path)
                        }
                    }
                }
                while !stopping.load(ordering: .relaxed) {
                    await scan(into: queue)
                    await checkSilentCameras()
                    await checkLag()
                    // Sleep in short slices so that shutdown is noticed at once, whatever the poll interval.
                    let interval = snapshot.withLock { $0.settings.pollIntervalSeconds }
                    let wake = ContinuousClock.now + .milliseconds(Int64(millisecondsOf: interval))
                    while !stopping.load(ordering: .relaxed), ContinuousClock.now < wake {
                        try? await Task.sleep(for: min(.milliseconds(100), wake - ContinuousClock.now))
                    }
                }
                await queue.close()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            Task { await queue.close() }
        }
        logger.info("daemon stopped")
    }

    /// Counts a crash for each file the last process died holding (a clean stop gave its files back), quarantines
    /// those that crashed it `maxCrashes` times (with a health alert), and returns the others to retry alone.
    private func recoverCrashes() async throws -> [Job] {
        let current = snapshot.withLock { $0 }
        let recovered = try await store.recoverCrashedWork(quarantineAfter: current.settings.maxCrashes) { file in
            current.healthAlerts(file.camera, "recording \(file.reason ?? "quarantined")", file.path, Date(),
                                 "quarantined-\(file.camera)-\(file.path)-\(Int64(millisecondsSince1970: file.modified))")
        }
        for file in recovered.quarantined {
            logger.error("recording quarantined: it crashed the daemon too often", metadata: [
                "recording.path": "\(file.path)", "camera.id": "\(file.camera)", "crashes": "\(file.crashes)"])
        }
        if !recovered.resumed.isEmpty {
            logger.notice("resuming work a crash interrupted, one file at a time", metadata: ["files": "\(recovered.resumed.count)"])
        }
        return recovered.resumed.compactMap { file in
            guard let camera = current.cameras.first(where: { $0.id == file.camera }) else { return nil }
            let folder = (file.path as NSString).deletingLastPathComponent
            let role: StreamRole = camera.indexFolder == nil ? .single
                : (camera.indexFolder.map { ($0 as NSString).standardizingPath } == (folder as NSString).standardizingPath ? .sub : .main)
            return Job(path: file.path, camera: camera, role: role, modified: file.modified)
        }
    }

    // MARK: - Scanning

    struct Job: Sendable {
        var path: String
        var camera: WatchedCamera
        var role: StreamRole = .single
        /// The file's modification time: the work order sorts on it.
        var modified: Date = .distantPast
    }

    /// What a file is to its camera.
    enum StreamRole: Sendable {
        /// The only stream: motion is indexed from it and it is played back.
        case single
        /// The sub-stream of a two-stream camera: motion is indexed from it.
        case sub
        /// The main stream of a two-stream camera: fingerprinted and attached, not decoded.
        case main
    }

    /// Workers and decoder threads for this machine and configuration.
    var plan: WorkPlan {
        let current = snapshot.withLock { $0 }
        return WorkPlan(cores: ProcessInfo.processInfo.activeProcessorCount, workers: current.settings.workers,
                        decoderThreads: current.decoderThreads)
    }

    private func scan(into queue: WorkQueue) async {
        let current = snapshot.withLock { $0 }
        let settle = current.settings.settleSeconds
        let maxAttempts = current.settings.maxAttempts
        for camera in current.cameras {
            var folders: [(String, [String], StreamRole)] = []
            if let folder = camera.folder { folders.append((folder, camera.filePatterns, camera.indexFolder == nil ? .single : .main)) }
            if let folder = camera.indexFolder { folders.append((folder, camera.indexFilePatterns, .sub)) }
            for (folder, patterns, role) in folders {
                await scan(folder: folder, patterns: patterns, role: role, camera: camera, settle: settle, maxAttempts: maxAttempts,
                           into: queue)
            }
        }
    }

    private func scan(folder: String, patterns: [String], role: StreamRole, camera: WatchedCamera, settle: Double,
                      maxAttempts: Int, into queue: WorkQueue) async {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            // An unmounted share or a typo: said on every scan, and `status` shows the camera unhealthy.
            logger.warning("camera folder does not exist or cannot be read",
                           metadata: ["camera.id": "\(camera.id)", "camera.folder": "\(folder)"])
            return
        }
        for name in names.sorted() where patterns.contains(where: { fnmatch($0, name, 0) == 0 }) {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = (attributes[.size] as? NSNumber)?.int64Value,
                  let modified = attributes[.modificationDate] as? Date else { continue }
            do {
                let known = try await store.sourceFile(path: path)
                // A file being indexed is left alone; if it changed meanwhile, the next scan after
                // its commit sees the new size and indexes it again.
                if known?.state == .indexing { continue }
                let unchanged = known.map {
                    $0.sizeBytes == size && abs($0.modified.timeIntervalSince(modified)) < 0.001
                } ?? false
                if let known, unchanged {
                    if known.state == .indexed || known.state == .failed || known.state == .indexing { continue }
                    if known.attempts >= maxAttempts { continue }
                }
                guard isSettled(path: path, size: size, modified: modified, settle: settle) else { continue }
                if !unchanged { try await store.notePending(path: path, camera: camera.id, sizeBytes: size, modified: modified) }
                await queue.enqueue(Job(path: path, camera: camera, role: role, modified: modified))
            } catch {
                logger.error("catalog error while scanning", metadata: ["recording.path": "\(path)", "error": "\(error)"])
            }
        }
    }

    /// Raises one health alert per silence: a camera whose newest file is older than its expected
    /// interval. The alert id names the last file's time, so it is raised once per gap.
    private func checkSilentCameras() async {
        let current = snapshot.withLock { $0 }
        let watched = current.cameras.filter { $0.expectedIntervalSeconds != nil }
        guard !watched.isEmpty, let seen = try? await store.lastFileSeen() else { return }
        let now = Date()
        for camera in watched {
            let lastSeen = seen[camera.id] ?? started
            guard let interval = camera.expectedIntervalSeconds, now.timeIntervalSince(lastSeen) > interval else { continue }
            let minutes = Int(saturating: now.timeIntervalSince(lastSeen) / 60, rounding: .towardZero)
            let alerts = current.healthAlerts(
                camera.id, "no new recording for \(minutes) min (expected every \(Int(saturating: interval / 60, rounding: .towardZero)) min)", nil, now,
                "silent-\(camera.id)-\(Int64(millisecondsSince1970: lastSeen))")
            do { try await store.queueAlerts(alerts) } catch {
                logger.error("catalog error", metadata: ["camera.id": "\(camera.id)", "error": "\(error)"])
            }
        }
    }

    /// Raises one health alert per backlog when a camera's indexing trails its recorder by more than
    /// `daemon.max_lag`: the alert id names the oldest waiting file's time, so it is raised once for it.
    private func checkLag() async {
        let current = snapshot.withLock { $0 }
        guard let maxLag = current.settings.maxLagSeconds,
              let oldest = try? await store.oldestUnindexedFiles() else { return }
        let now = Date()
        for (camera, since) in oldest.sorted(by: { $0.key < $1.key }) {
            let lag = IndexLag.seconds(oldestUnindexed: since, now: now)
            guard lag > maxLag else { continue }
            let alerts = current.healthAlerts(
                camera, String(format: "indexing lags the recorder by %.0f s (daemon.max_lag %.0f s)", lag, maxLag), nil, now,
                "lag-\(camera)-\(Int64(millisecondsSince1970: since))")
            do { try await store.queueAlerts(alerts) } catch {
                logger.error("catalog error", metadata: ["camera.id": "\(camera)", "error": "\(error)"])
            }
        }
    }

    /// Whether a file's size and modification time have held still for `settle` seconds (and it
    /// was last modified at least that long ago), i.e. the recorder has finished writing it.
    private func isSettled(path: String, size: Int64, modified: Date, settle: Double) -> Bool {
        let now = ContinuousClock.now
        return settling.withLock { table in
            if let (seenSize, seenModified, since) = table[path], seenSize == size, seenModified == modified {
                let held = now - since >= .milliseconds(Int64(millisecondsOf: settle))
                let quiet = Date().timeIntervalSince(modified) >= settle
                if held && quiet { table[path] = nil }
                return held && quiet
            }
            table[path] = (size, modified, now)
            return settle <= 0
        }
    }

    // MARK: - Indexing

    private func process(_ job: Job, decoderThreads: Int) async {
        let current = snapshot.withLock { $0 }
        let camera = current.cameras.first { $0.id == job.camera.id } ?? job.camera
        let maxAttempts = current.settings.maxAttempts
        let attempt: Int
        do { attempt = try await store.markIndexing(path: job.path) } catch let error as CatalogError where error.code == .busy {
            // A shared catalog: another node claimed the file first (or has indexed it). Nothing to do here.
            logger.debug("claimed elsewhere", metadata: ["recording.path": "\(job.path)", "reason": "\(error)"])
            return
        } catch {
            logger.error("catalog error", metadata: ["recording.path": "\(job.path)", "error": "\(error)"])
            return
        }
        logger.info("indexing", metadata: ["recording.path": "\(job.path)", "camera.id": "\(camera.id)", "attempt": "\(attempt)"])
        let outcome: Result<IndexOutcome, IngestError>
        do {
            var settings = try current.settingsForCamera(camera)
            settings.decoderThreads = decoderThreads
            if job.role == .sub { settings.start.fileNamePattern = camera.indexFileNamePattern }
            let indexer = RecordingIndexer(store: store, stillsDirectory: stillsDirectory, settings: settings, logger: logger)
            if job.role == .main {
                outcome = .success(try await indexer.attachMain(path: job.path, camera: camera.id, source: job.path))
            } else {
                let health = { (problems: [String], start: Date) -> [NewAlert] in
                    let stamp = Int64(millisecondsSince1970: start)
                    return current.healthAlerts(camera.id, problems.joined(separator: "; "), job.path, start,
                                                "picture-\(camera.id)-\(stamp)")
                }
                outcome = .success(try await indexer.index(
                    path: job.path, camera: camera.id, stream: job.role == .sub ? .sub : .main, source: job.path,
                    alerts: current.alerts, healthAlerts: health, replaceGrownFile: true,
                    shouldStop: { self.stopping.load(ordering: .relaxed) }))
            }
        } catch let error as IngestError {
            outcome = .failure(error)
        } catch {
            outcome = .failure(IngestError(.unreadable, path: job.path, reason: "\(error)"))
        }
        do {
            switch outcome {
            case let .success(.indexed(recording, events, statistics)):
                await current.afterCommit()
                logger.info("indexed", metadata: [
                    "recording.path": "\(job.path)", "camera.id": "\(camera.id)", "recording.id": "\(recording.id)",
                    "events": "\(events.count)", "speed": "\(String(format: "%.1fx", statistics.footageSeconds / max(statistics.wallSeconds, 0.001)))",
                    "replaced": "\(statistics.replacedRecordingID.map { "recording \($0) (the file grew)" } ?? "none")"])
            case .success(.alreadyIndexed):
                logger.info("already indexed (same content)", metadata: ["recording.path": "\(job.path)"])
            case let .failure(error) where error.code == .cancelled:
                // Shutdown cancels the workers' tasks; giving the file back must still happen, or the next start
                // would take this clean stop for a crash. An unstructured task does not inherit the cancellation.
                let store = self.store
                try await Task { try await store.markInterrupted(path: job.path) }.value
            case let .failure(error):
                let final = attempt >= maxAttempts
                let now = Date()
                let alerts = final ? current.healthAlerts(
                    camera.id, "recording failed: \(error.reason)", job.path, now,
                    "failed-\(camera.id)-\(Int64(millisecondsSince1970: now))") : []
                try await store.markFailed(path: job.path, reason: error.reason, final: final, alerts: alerts)
                logger.warning("recording failed", metadata: [
                    "recording.path": "\(job.path)", "camera.id": "\(camera.id)", "attempt": "\(attempt)",
                    "final": "\(final)", "reason": "\(error.reason)"])
            }
        } catch {
            logger.error("catalog error", metadata: ["recording.path": "\(job.path)", "error": "\(error)"])
        }
    }

    // MARK: - Reload

    private func reloadOnHangup() async {
        let (hangups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        defer { source.cancel() }
        for await _ in hangups {
            if stopping.load(ordering: .relaxed) { return }
            do {
                let fresh = try await reload()
                snapshot.withLock { $0 = fresh }
                logger.notice("configuration reloaded", metadata: ["cameras": "\(fresh.cameras.count)"])
            } catch {
                logger.error("configuration not reloaded; keeping the previous one", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Jobs waiting for a worker, each path at most once (queued or in progress), taken oldest or newest
/// file first.
actor WorkQueue {
    private var jobs: [IngestDaemon.Job] = []
    private var known: Set<String> = []
    private var waiting: [CheckedContinuation<IngestDaemon.Job?, Never>] = []
    private var closed = false
    private var running = 0
    private let order: DaemonSettings.WorkOrder

    init(order: DaemonSettings.WorkOrder = .oldestFirst) {
        self.order = order
    }

    func enqueue(_ job: IngestDaemon.Job) {
        guard !closed, known.insert(job.path).inserted else { return }
        if !waiting.isEmpty {
            running += 1
            waiting.removeFirst().resume(returning: job)
        } else {
            jobs.append(job)
        }
    }

    /// The next job and the decoder threads it may use: the cores are shared among the jobs running
    /// and waiting, so a lone backlog file gets them all and a full queue runs one thread per file.
    func next(plan: WorkPlan) async -> (IngestDaemon.Job, Int)? {
        guard let job = await next() else { return nil }
        return (job, plan.decoderThreads(busy: running + jobs.count))
    }

    func next() async -> IngestDaemon.Job? {
        if !jobs.isEmpty {
            // Oldest first by modification time (then path); newest first the other way round.
            let index: Int
            switch order {
            case .oldestFirst:
                index = jobs.indices.min { (jobs[$0].modified, jobs[$0].path) < (jobs[$1].modified, jobs[$1].path) }!
            case .newestFirst:
                index = jobs.indices.max { (jobs[$0].modified, jobs[$0].path) < (jobs[$1].modified, jobs[$1].path) }!
            }
            running += 1
            return jobs.remove(at: index)
        }
        if closed { return nil }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func finished(_ path: String) {
        known.remove(path)
        running = max(0, running - 1)
    }

    /// No more jobs will be added: workers get nil once the queue is empty.
    func closeWhenDrained() {
        closed = true
        if jobs.isEmpty {
            for continuation in waiting { continuation.resume(returning: nil) }
            waiting.removeAll()
        }
    }

    func close() {
        closed = true
        jobs.removeAll()
        for continuation in waiting { continuation.resume(returning: nil) }
        waiting.removeAll()
    }
}
