import Catalog
import CatalogPostgres
import CatalogSQLite
import CommandLineSupport
import Foundation
import Logging
import WardWatchConfig

/// A catalog of either engine, with where its stills live.
struct OpenedCatalog: Sendable {
    init(store: any CatalogStore, stillsDirectory: String, name: String, postgres: PostgresCatalog?) {
        self.store = store
        self.stillsDirectory = stillsDirectory
        self.name = name
        self.postgres = postgres
    }

    init(sqlite catalog: SQLiteCatalog) {
        self.init(store: catalog, stillsDirectory: catalog.stillsDirectory, name: catalog.path, postgres: nil)
    }

    var store: any CatalogStore
    var stillsDirectory: String
    /// For messages: the file, or the server without its password.
    var name: String
    /// Set when the catalog is the shared PostgreSQL one (nodes, heartbeats, a pool to close).
    var postgres: PostgresCatalog?

    /// Where files that belong beside the catalog go (clip cache, exports), without an extension: beside
    /// the SQLite file, or for a shared catalog beside its stills folder (each server keeps its own).
    var base: String { ((postgres == nil ? name : stillsDirectory) as NSString).deletingPathExtension }

    /// Gives this node's claims back and closes the pool (PostgreSQL); nothing for SQLite.
    func close() async {
        guard let postgres else { return }
        try? await postgres.leave()
        await postgres.close()
    }
}

extension GlobalOptions {
    /// Where the catalog is: `--catalog`, $WARDWATCH_CATALOG, the configuration's `catalog`, or its `postgres:` section.
    func catalogLocation(_ configuration: WardWatchConfiguration) -> String? {
        catalog ?? ProcessInfo.processInfo.environment["WARDWATCH_CATALOG"] ?? configuration.catalogPath
    }

    /// The shared catalog's settings when the configuration or the command line names PostgreSQL, else nil.
    func postgresSettings(_ configuration: WardWatchConfiguration) throws -> PostgresSettings? {
        let location = catalogLocation(configuration)
        var settings: PostgresSettings
        if let location, PostgresSettings.isPostgresURL(location) {
            settings = try PostgresSettings(url: location)
        } else if location == nil, let shared = configuration.postgres {
            settings = PostgresSettings()
            settings.host = shared.host
            settings.port = shared.port
            settings.database = shared.database
            settings.user = shared.user
            if let file = shared.passwordFile { try settings.readPassword(file: file) }
        } else {
            return nil
        }
        if let shared = configuration.postgres {
            if let node = shared.node { settings.nodeID = node }
            settings.leaseSeconds = shared.leaseSeconds
            settings.maximumConnections = shared.poolSize
            settings.pathMap = PathMap(shared.pathMap)
        }
        return settings
    }

    /// Opens the catalog (SQLite file or shared PostgreSQL); with `asNode`, this process is listed among the nodes.
    /// Opens the catalog (SQLite file or shared PostgreSQL) and saves the configured camera registry into it.
    func openStore(_ configuration: WardWatchConfiguration, asNode: Bool = false, logger: Logger? = nil) async throws -> OpenedCatalog {
        guard var settings = try postgresSettings(configuration) else {
            return OpenedCatalog(sqlite: try await openCatalog(configuration))
        }
        settings.registersNode = asNode
        var quiet = Logger(label: "wardwatch.catalog") { StreamLogHandler.standardError(label: $0) }
        quiet.logLevel = .warning
        let catalog = try await PostgresCatalog.open(settings, logger: logger ?? quiet)
        if !configuration.cameras.isEmpty {
            try await catalog.saveCameras(configuration.cameras.map {
                Camera(id: $0.id, name: $0.name, ward: $0.ward, street: $0.street, latitude: $0.latitude, longitude: $0.longitude)
            })
        }
        // Stills are files in a folder every node and server mounts at the same path.
        let stills = configuration.postgres?.stillsFolder
            ?? (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("wardwatch.stills")
        return OpenedCatalog(store: catalog, stillsDirectory: stills, name: settings.displayName, postgres: catalog)
    }
}
