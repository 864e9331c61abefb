import Catalog
import Foundation
import Logging
import ServiceLifecycle

/// Enforces each camera's `retention_days`: removes expired events (with their stills), recording
/// rows (with their cached clips) and, only when the ward asked for it, the recording files.
/// Held evidence is kept (see `Retention.plan`). Each removal is audited in the transaction that
/// makes it.
public struct RetentionRunner: Sendable {
    public let store: any RetentionStore
    public let stillsDirectory: String
    /// The HTTP server's clip cache (`wwclip-<recording>-…` files); nil when there is none.
    public let clipDirectory: String?
    public let deleteRecordingFiles: Bool
    /// The audit trail's chain hash (Access's `sha256Hex`).
    public let hash: @Sendable (String) -> String
    public let actor: String

    public init(store: any RetentionStore, stillsDirectory: String, clipDirectory: String?, deleteRecordingFiles: Bool,
                actor: String, hash: @escaping @Sendable (String) -> String) {
        self.store = store
        self.stillsDirectory = stillsDirectory
        self.clipDirectory = clipDirectory
        self.deleteRecordingFiles = deleteRecordingFiles
        self.actor = actor
        self.hash = hash
    }

    /// What one pass removed (or, dry, would remove).
    public struct Report: Sendable, Equatable {
        public var events = 0
        public var recordings = 0
        public var recordingFiles = 0
        public var stills = 0
        public var clips = 0
        /// Expired recordings kept because they hold evidence.
        public var keptForHolds = 0
        public var lines: [String] = []
    }

    /// One pass over `cameras` (id → retention days; cameras without a period are left alone).
    public func run(cameras: [String: Int], now: Date = Date(), dryRun: Bool) async throws -> Report {
        var report = Report()
        for (camera, days) in cameras.sorted(by: { $0.key < $1.key }) {
            let cutoff = Retention.cutoff(days: days, now: now)
            let plan = Retention.plan(try await store.retentionCandidates(camera: camera, before: cutoff),
                                      deleteRecordingFiles: deleteRecordingFiles)
            report.keptForHolds += plan.keptForHolds.count
            guard !plan.isEmpty else { continue }
            let removedRecordings = Set(plan.recordings.map(\.id))
            let looseEvents = plan.events.filter { !removedRecordings.contains($0.recordingID) }
            var audit: [NewAuditEntry] = []
            for recording in plan.recordings {
                let events = plan.events.filter { $0.recordingID == recording.id }.map { String($0.id) }
                audit.append(NewAuditEntry(actor: actor, action: "retention.delete", query:
                    "camera=\(camera) retention_days=\(days) recording=\(recording.id) start=\(Timestamp.format(recording.start)) "
                    + "path=\(recording.path) file=\(deleteRecordingFiles ? "deleted" : "kept") events=\(events.joined(separator: ","))",
                    resultCount: events.count, client: "local"))
            }
            if !looseEvents.isEmpty {
                audit.append(NewAuditEntry(actor: actor, action: "retention.delete", query:
                    "camera=\(camera) retention_days=\(days) events=\(looseEvents.map { String($0.id) }.joined(separator: ","))"
                    + (plan.keptForHolds.isEmpty ? "" : " kept_recordings=\(plan.keptForHolds.map(String.init).joined(separator: ","))"),
                    resultCount: looseEvents.count, client: "local"))
            }
            report.lines.append("\(camera): \(plan.events.count) events, \(plan.recordings.count) recordings older than "
                                + "\(days) days" + (plan.keptForHolds.isEmpty ? "" : "; \(plan.keptForHolds.count) kept for legal holds"))
            report.events += plan.events.count
            report.recordings += plan.recordings.count
            if dryRun { continue }
            _ = try await store.applyRetention(plan, audit: audit, hash: hash)
            // Files go after the rows: a crash in between leaves files without rows, never the reverse.
            for still in plan.events.compactMap(\.still) where Self.remove((stillsDirectory as NSString).appendingPathComponent(still)) {
                report.stills += 1
            }
            for path in plan.recordingFiles where Self.remove(path) { report.recordingFiles += 1 }
            if let clipDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: clipDirectory) {
                for name in names where removedRecordings.contains(where: { name.hasPrefix("wwclip-\($0)-") })
                    && Self.remove((clipDirectory as NSString).appendingPathComponent(name)) {
                    report.clips += 1
                }
            }
        }
        return report
    }

    private static func remove(_ path: String) -> Bool {
        (try? FileManager.default.removeItem(atPath: path)) != nil
    }
}

/// Runs retention in the daemon: soon after start, then every `interval` seconds.
public struct RetentionService: Service {
    let runner: RetentionRunner
    let cameras: @Sendable () -> [String: Int]
    let interval: Duration
    let logger: Logger

    public init(runner: RetentionRunner, interval: Duration = .seconds(3600), logger: Logger,
                cameras: @escaping @Sendable () -> [String: Int]) {
        self.runner = runner
        self.cameras = cameras
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let report = try await runner.run(cameras: cameras(), dryRun: false)
                for line in report.lines { logger.notice("retention", metadata: ["retention.result": "\(line)"]) }
            } catch {
                logger.error("retention failed", metadata: ["error": "\(error)"])
            }
            // Wakes every second, so a shutdown is not held up for an hour.
            let wake = ContinuousClock.now + interval
            while ContinuousClock.now < wake, !Task.isCancelled, !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: min(.seconds(1), wake - ContinuousClock.now))
            }
        }
    }
}
