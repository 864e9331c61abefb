import Access
import Alerts
import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Linking
import Logging
import ServiceLifecycle
import WardWatchConfig
import Workflows

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
        let opened = try await options.openStore(configuration, asNode: true, logger: logger)
        let catalog = opened.store
        let stills = opened.stillsDirectory
        // The daemon's own service delivers alerts; linking only queues them.
        let followUp = WardWorkflows.configured(configuration, catalog: opened, logger: logger, deliverAlerts: false).followUp
        let initial = try await Self.snapshot(configuration, catalog: opened, followUp: followUp, logger: logger)
        let daemon = IngestDaemon(
            store: catalog, stillsDirectory: stills, logger: logger, snapshot: initial,
            reload: { [logger] in
                try await Self.snapshot(try options.loadConfiguration(), catalog: opened, followUp: followUp, logger: logger)
            })
        let alerts = AlertDeliveryService(writer: AlertLogWriter(store: catalog, logger: logger))
        logger.notice("daemon started", metadata: [
            "catalog": "\(opened.name)", "cameras": "\(configuration.cameras.count)", "alert.rules": "\(configuration.alerts.count)"])
        // Retention runs beside indexing, with the registry's retention_days at start. On a shared catalog every node
        // runs it; each expired row is removed and audited once (see RetentionStore).
        let retentionDays = Self.retentionDays(configuration)
        let retention: [any Service] = [RetentionService(
            runner: RetentionRunner(store: catalog, stillsDirectory: stills, clipDirectory: opened.base + ".clips",
                                    deleteRecordingFiles: configuration.retention.deleteRecordings, actor: "daemon",
                                    hash: { sha256Hex($0) }),
            interval: .milliseconds(Int64(millisecondsOf: configuration.retention.intervalSeconds)), logger: logger,
            cameras: { retentionDays })]
        // Services stop in reverse order: retention and the indexer first, then a last alert delivery, then (shared
        // catalog) the node's heartbeat: its claims are given back and the pool closed last.
        // Signed audit checkpoints at intervals, when the ward has a signing key (its alert lines go through `alerts`).
        var checkpoints: [any Service] = []
        if let key = configuration.signingKeyPath, FileManager.default.fileExists(atPath: key) {
            let workflows = WardWorkflows.configured(configuration, catalog: opened, logger: logger, signingKeyPath: key,
                                                     deliverAlerts: false)
            checkpoints = [CheckpointService(workflows: workflows, interval: configuration.checkpointIntervalSeconds, logger: logger)]
        }
        let services: [any Service] = (opened.postgres.map { [$0] } ?? []) + [alerts, daemon] + retention + checkpoints
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    static func retentionDays(_ configuration: WardWatchConfiguration) -> [String: Int] {
        Dictionary(configuration.cameras.compactMap { camera in camera.retentionDays.map { (camera.id, $0) } },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Everything the daemon derives from one configuration, and the registry saved to the catalog.
    /// - Parameter followUp: the one owner of relinking, kept across reloads so passes never overlap.
    static func snapshot(_ configuration: WardWatchConfiguration, catalog opened: OpenedCatalog, followUp: CommitFollowUp,
                         logger: Logger) async throws
        -> IngestDaemon.Snapshot
    {
        try await opened.store.saveCameras(configuration.cameras.map(\.camera)) // again on reload, so registry edits reach the catalog
        let planner = AlertPlanner(configuration: configuration, stillsDirectory: opened.stillsDirectory)
        // Decoder threads are chosen per file by the daemon's work plan (IngestDaemon, WorkPlan) unless
        // indexing.decoder_threads sets them.
        var perCamera: [String: IndexSettings] = [:]
        for camera in configuration.cameras { perCamera[camera.id] = try configuration.indexSettings(for: camera) }
        let settings = perCamera
        let linker = WardWorkflows.configured(configuration, catalog: opened, logger: logger, planner: planner).linker
        var snapshot = IngestDaemon.Snapshot(
            settings: configuration.daemon, cameras: configuration.watchedCameras,
            settingsForCamera: { camera in
                guard let found = settings[camera.id] else { throw ValidationError("camera \(camera.id) is not configured") }
                return found
            },
            alerts: { planner.alerts(for: $0) },
            healthAlerts: { camera, problem, file, time, key in
                planner.healthAlerts(camera: camera, problem: problem, file: file, at: time, key: key)
            },
            afterCommit: { await followUp.recordingCommitted(using: linker) })
        snapshot.decoderThreads = configuration.indexing.decoderThreads
        return snapshot
    }
}
