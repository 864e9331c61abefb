import Catalog
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The shared catalog: one PostgreSQL database that many indexer nodes and API servers use at once.
///
/// Owns postgres-nio's connection pool (`PostgresClient`) and the schema migrations; callers use the same
/// intention-named methods as the SQLite catalog and never see SQL. Times are stored as bigint milliseconds
/// since 1970 (UTC), exactly as in SQLite, so that ordering, cursors and copies agree to the millisecond.
///
/// As a `Service` it keeps this node's heartbeat and leases alive and, on graceful shutdown, gives back what it
/// holds and closes the pool — put it first in a `ServiceGroup`, so that it stops last.
public final class PostgresCatalog: CatalogStore, Service, Sendable {
    public let settings: PostgresSettings
    let client: PostgresClient
    let logger: Logger
    /// The pool's own run loop; cancelled by `close()`.
    private let pool: Mutex<Task<Void, Never>?>
    /// The camera registry as searches last read it, with the registry's change counter.
    let cameraCache = Mutex<(version: Int64, cameras: [Camera])?>(nil)
    /// The alert drainer's election (see `PostgresCatalog+Alerts`): the campaign, its first answer, the result.
    let election = Mutex<Task<Void, Never>?>(nil)
    let campaignTried = Mutex(false)
    let drainer = Mutex(false)

    private init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        var configuration: PostgresClient.Configuration
        if settings.host.hasPrefix("/") {
            configuration = .init(unixSocketPath: settings.host + "/.s.PGSQL.\(settings.port)", username: settings.user,
                                  password: settings.password, database: settings.database)
        } else {
            configuration = .init(host: settings.host, port: settings.port, username: settings.user,
                                  password: settings.password, database: settings.database, tls: .disable)
        }
        configuration.options.maximumConnections = settings.maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", "wardwatch \(settings.nodeID)")]
        // The pool's own chatter (reconnect attempts, a lease asked for while its run loop starts) stays out of the
        // caller's log unless it is an error.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
        pool = Mutex(nil)
    }

    /// Connects, brings the schema up to date (serialized across processes by an advisory lock) and registers
    /// this node.
    /// - Throws: `CatalogError(.cannotOpen)` naming the server when it cannot be reached or refuses the login.
    public static func open(_ settings: PostgresSettings, logger: Logger = Logger(label: "wardwatch.catalog")) async throws(CatalogError)
        -> PostgresCatalog {
        let catalog = PostgresCatalog(settings: settings, logger: logger)
        // One direct connection first: an unreachable server or a refused login fails at once with the server's
        // own reason (the pool would keep retrying), and the migrations run on it.
        do {
            let connection = try await PostgresConnection.connect(configuration: settings.connectionConfiguration, id: 0, logger: logger)
            do {
                try await catalog.migrate(on: connection)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw catalog.wrap(error, opening: true)
        }
        let client = catalog.client
        catalog.pool.withLock { $0 = Task { await client.run() } }
        do {
            if settings.registersNode { try await catalog.registerNode() }
        } catch {
            await catalog.close()
            throw catalog.wrap(error, opening: true)
        }
        return catalog
    }

    /// Opens the catalog named by a `postgresql://` URL.
    public static func open(url: String, logger: Logger = Logger(label: "wardwatch.catalog")) async throws(CatalogError) -> PostgresCatalog {
        try await open(PostgresSettings(url: url), logger: logger)
    }

    /// Closes the pool. Leases this node holds stay until they expire unless `leave()` ran first.
    public func close() async {
        let campaign = election.withLock { task in
            defer { task = nil }
            return task
        }
        campaign?.cancel()
        await campaign?.value
        let task = pool.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    /// Keeps this node's heartbeat and leases alive until graceful shutdown, then gives its claims back and
    /// closes the pool.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await self.heartbeat() } catch {
                    self.logger.error("catalog heartbeat failed", metadata: ["node.id": "\(self.settings.nodeID)", "error": "\(error)"])
                }
                try? await Task.sleep(for: .milliseconds(Int(self.settings.heartbeatSeconds * 1000)))
            }
        }
        try? await leave()
        await close()
    }

    // MARK: - Plumbing

    /// A path as the catalog stores it, for a path this node found (see `PathMap`).
    func stored(_ path: String) -> String { settings.pathMap.stored(path) }

    /// A stored path as this node opens it.
    func local(_ path: String) -> String { settings.pathMap.local(path) }

    /// Rows of one statement, run on a pooled connection.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await client.query(query, logger: logger) { result.append(row.makeRandomAccess()) }
        return result
    }

    /// Rows of one statement, run on `connection` (inside a transaction).
    @discardableResult
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) { result.append(row.makeRandomAccess()) }
        return result
    }

    /// Runs a statement for its effect; returns the rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        let stream = try await connection.query(query, logger: logger)
        for try await _ in stream {}
        return 0
    }

    /// `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await execute("BEGIN", on: connection)
            do {
                let result = try await body(connection)
                try await execute("COMMIT", on: connection)
                return result
            } catch {
                _ = try? await execute("ROLLBACK", on: connection)
                throw error
            }
        }
    }

    /// Runs a catalog operation, turning whatever failed into one-line `CatalogError`s naming the catalog.
    @discardableResult
    func call<T>(_ body: () async throws -> T) async throws(CatalogError) -> T {
        do { return try await body() } catch { throw wrap(error) }
    }

    func wrap(_ error: any Error, opening: Bool = false) -> CatalogError {
        if let error = error as? CatalogError { return error }
        let name = settings.displayName
        guard let psql = error as? PSQLError else {
            return CatalogError(opening ? .cannotOpen : .io, "catalog '\(name)': \(error)")
        }
        let state = psql.serverInfo?[.sqlState] ?? ""
        let message = psql.serverInfo?[.message] ?? "\(psql.code)"
        if psql.serverInfo == nil {
            return CatalogError(.cannotOpen, "cannot reach catalog '\(name)' (is PostgreSQL running and the address right?): \(psql.code)\(psql.underlying.map { ": \($0)" } ?? "")")
        }
        switch state {
        case "28P01", "28000", "3D000":
            return CatalogError(.cannotOpen, "catalog '\(name)' refused the login: \(message)")
        case let code where code.hasPrefix("23"):
            return CatalogError(.constraint, "catalog '\(name)' refused the change: \(message)")
        case "40001", "40P01", "55P03":
            return CatalogError(.busy, "catalog '\(name)' is busy (retry): \(message)")
        case "P0001":
            return CatalogError(.constraint, "catalog '\(name)' refused the change: \(message)")
        default:
            return CatalogError(opening ? .cannotOpen : .io, "catalog '\(name)': \(message) (SQLSTATE \(state))")
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64(millisecondsSince1970: date) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static var now: Int64 { millis(Date()) }

    static func bytes(_ values: [Float]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for value in values { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return buffer
    }

    static func floats(_ buffer: ByteBuffer) -> [Float] {
        var buffer = buffer
        var values: [Float] = []
        while let bits = buffer.readInteger(endianness: .little, as: UInt32.self) { values.append(Float(bitPattern: bits)) }
        return values
    }
}

extension PostgresSettings {
    /// A single connection's configuration (the pool has its own, built the same way).
    var connectionConfiguration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if host.hasPrefix("/") {
            configuration = .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

extension PostgresRandomAccessRow {
    /// The named column, decoded.
    func get<T: PostgresDecodable>(_ column: String, as _: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    /// The column at `index`, decoded (search pages read by position).
    func get<T: PostgresDecodable>(_ index: Int, as _: T.Type = T.self) throws -> T {
        try self[index].decode(T.self)
    }
}
