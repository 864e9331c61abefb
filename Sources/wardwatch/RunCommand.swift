import Access
import Alerts
import ArgumentParser
import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Linking
import Logging
import ServiceLifecycle
import Synchronization
import WardWatchConfig

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: index new recordings from every camera folder and write alert logs.",
        discussion: """
            Scans the configured camera folders, indexes each file once it is complete, and appends \
            alert lines for matching events. SIGTERM/SIGINT stop it cleanly (exit 0; unfinished files are \
            resumed on the next start), SIGHUP reloads the configuration. State lives in the catalog, so \
            a restart after a crash neither loses nor repeats an event or an alert.
            """)

    @OptionGroup var global: GlobalOptions

    mutating func run() async throws {
        let options = global
        _ = options.prepareLogging()
        var logger = Logger(label: "wardwatch") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = options.verbose ? .debug : .info
        let configuration = try options.loadConfiguration()
        guard !configuration.cameras.isEmpty else {
            throw ValidationError("the configuration has no cameras: add them under `cameras:` (see Config/wardwatch.yaml)")
        }
        let catalog = try await options.openCatalog(configuration)
        let initial = try await Self.snapshot(configuration, catalog: catalog, logger: logger)
        let daemon = IngestDaemon(
            store: catalog, stillsDirectory: catalog.stillsDirectory, logger: logger, snapshot: initial,
            reload: { [logger] in try await Self.snapshot(try options.loadConfiguration(), catalog: catalog, logger: logger) })
        let alerts = AlertDeliveryService(writer: AlertLogWriter(store: catalog, logger: logger))
        logger.notice("daemon started", metadata: [
            "catalog": "\(catalog.path)", "cameras": "\(configuration.cameras.count)", "alert.rules": "\(configuration.alerts.count)"])
        // Retention runs beside indexing, with the registry's retention_days as the configuration says now.
        let retentionDays = Mutex(Self.retentionDays(configuration))
        let retention = RetentionService(
            runner: RetentionRunner(store: catalog, stillsDirectory: catalog.stillsDirectory,
                                    clipDirectory: (catalog.path as NSString).deletingPathExtension + ".clips",
                                    deleteRecordingFiles: configuration.retention.deleteRecordings, actor: "daemon",
                                    hash: { sha256Hex($0) }),
            interval: .milliseconds(Int64(configuration.retention.intervalSeconds * 1000)), logger: logger,
            cameras: { retentionDays.withLock { $0 } })
        // Services stop in reverse order: retention and the indexer first, then a last alert delivery.
        let group = ServiceGroup(
            services: [alerts, daemon, retention], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    static func retentionDays(_ configuration: WardWatchConfiguration) -> [String: Int] {
        Dictionary(configuration.cameras.compactMap { camera in camera.retentionDays.map { (camera.id, $0) } },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Everything the daemon derives from one configuration, and the registry saved to the catalog.
    static func snapshot(_ configuration: WardWatchConfiguration, catalog: SQLiteCatalog, logger: Logger) async throws
        -> IngestDaemon.Snapshot
    {
        try await catalog.saveCameras(configuration.cameras.map {
            Camera(id: $0.id, name: $0.name, ward: $0.ward, street: $0.street, latitude: $0.latitude, longitude: $0.longitude)
        }) // again on reload, so registry edits reach the catalog
        let planner = AlertPlanner(configuration: configuration, stillsDirectory: catalog.stillsDirectory)
        var shared = try indexSettings(configuration)
        if configuration.indexing.decoderThreads == 0 {
            // Auto: share the cores among the workers (files in parallel beat threads in one file;
            // see BENCHMARKS.md, backlog).
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let workers = configuration.daemon.workers > 0 ? configuration.daemon.workers : cores
            shared.decoderThreads = max(1, cores / workers)
        }
        let base = shared
        let linker = makeLinker(configuration, catalog: catalog, planner: planner)
        return IngestDaemon.Snapshot(
            configuration: configuration,
            settingsForCamera: { camera in
                var settings = base
                settings.motion = camera.detection
                settings.start = RecordingStartResolver(
                    fileNamePattern: try camera.fileNamePattern.map { try FileNameTimestamp(pattern: $0) },
                    timeZone: camera.timeZone)
                return settings
            },
            alerts: { planner.alerts(for: $0) },
            healthAlerts: { camera, problem, file, time, key in
                planner.healthAlerts(camera: camera, problem: problem, file: file, at: time, key: key)
            },
            afterCommit: {
                // One linking pass at a time: two workers relinking the same report at once could
                // each drop the other's new suggestion.
                await linkingPass.run {
                    do {
                        try await linker.linkAwaitingReports()
                        let summary = try await linker.linkNewRecordings()
                        if summary.added > 0 {
                            logger.info("new links", metadata: ["links.added": "\(summary.added)", "reports": "\(summary.reports)"])
                        }
                    } catch {
                        logger.error("linking failed; the recordings stay queued for the next pass", metadata: ["error": "\(error)"])
                    }
                }
            })
    }
}

/// Serializes linking passes within the daemon.
let linkingPass = SerialPasses()

/// Runs async passes one at a time, in arrival order (an actor alone would interleave them at each await).
actor SerialPasses {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run(_ pass: @Sendable () async -> Void) async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        await pass()
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
