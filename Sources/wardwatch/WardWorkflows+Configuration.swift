import Alerts
import Catalog
import CatalogSQLite
import CommandLineSupport
import Evidence
import Foundation
import Linking
import Logging
import WardWatchConfig
import Workflows

extension WardWorkflows {
    /// The workflows the configuration describes, over an open catalog: the same for `serve`,
    /// `export`, `import`, `index` and every other command, so that the HTTP API and the command line
    /// cannot drift apart (camera zones, link settings, alert rules).
    /// - Parameters:
    ///   - signingKeyPath: the ward's key, when exports are to be signed.
    ///   - exportDirectory: where bundles made over HTTP go.
    ///   - clipDirectory: the clip cache (default: next to the catalog).
    ///   - deliverAlerts: write queued alert lines after linking (false in the daemon, whose own
    ///     service delivers them).
    static func configured(
        _ configuration: WardWatchConfiguration, catalog: SQLiteCatalog, logger: Logger, signingKeyPath: String? = nil,
        exportDirectory: String? = nil, clipDirectory: String? = nil, deliverAlerts: Bool = true, planner: AlertPlanner? = nil
    ) -> WardWorkflows {
        configured(configuration, catalog: OpenedCatalog(sqlite: catalog), logger: logger, signingKeyPath: signingKeyPath,
                   exportDirectory: exportDirectory, clipDirectory: clipDirectory, deliverAlerts: deliverAlerts, planner: planner)
    }

    /// The same over a catalog of either engine.
    static func configured(
        _ configuration: WardWatchConfiguration, catalog opened: OpenedCatalog, logger: Logger, signingKeyPath: String? = nil,
        exportDirectory: String? = nil, clipDirectory: String? = nil, deliverAlerts: Bool = true, planner: AlertPlanner? = nil
    ) -> WardWorkflows {
        let catalog = opened.store
        var settings = Settings(stillsDirectory: opened.stillsDirectory, clipDirectory: clipDirectory ?? opened.base + ".clips")
        settings.timeZone = configuration.timeZone
        settings.cameraTimeZones = Dictionary(configuration.cameras.map { ($0.id, $0.timeZone) }, uniquingKeysWith: { first, _ in first })
        for camera in configuration.cameras { settings.cameraViews[camera.id] = camera.viewDirection }
        settings.signingKeyPath = signingKeyPath
        settings.exportDirectory = exportDirectory
        settings.version = wardwatchVersion
        settings.linkSettings = configuration.linking
        settings.clipCacheMaxBytes = Int64(configuration.http.clipCacheMegabytes * 1_048_576)
        settings.heavyWorkSlots = configuration.http.heavyWorkSlots
        let planner = planner ?? AlertPlanner(configuration: configuration, stillsDirectory: opened.stillsDirectory)
        settings.linkAlerts = { planner.incidentAlerts(for: $0) }
        settings.anchorPath = configuration.anchorPath
        settings.checkpointAlerts = { planner.checkpointAlerts($0) }
        settings.sourceAlerts = { recording, problem in
            // One alert per recording and per content found at its path, whichever route found it.
            let found = (try? SourceCheck.fingerprint(path: recording.path))?.hex.prefix(16) ?? "unreadable"
            return planner.healthAlerts(camera: recording.camera, problem: "evidence refused: \(problem)", file: recording.path,
                                        at: Date(), key: "source-\(recording.id)-\(found)")
        }
        let delivery: (@Sendable () async throws -> Void)? = deliverAlerts
            ? { @Sendable in _ = try await AlertLogWriter(store: catalog, logger: logger).deliverPending() } : nil
        return WardWorkflows(store: catalog, settings: settings, deliverAlerts: delivery, logger: logger)
    }
}

/// The operator at this command line, as the access policy and the audit trail see them.
func cliRequester() -> Requester {
    .localOperator(name: cliActor(), request: CommandLine.arguments.dropFirst(1).joined(separator: " "))
}

extension GlobalOptions {
    /// The configuration, its catalog, and the workflows over both: what most commands start with.
    func openWorkflows(logger: Logger) async throws -> (WardWatchConfiguration, any CatalogStore, WardWorkflows) {
        let configuration = try loadConfiguration()
        let opened = try await openStore(configuration, logger: logger)
        return (configuration, opened.store, WardWorkflows.configured(configuration, catalog: opened, logger: logger))
    }
}
