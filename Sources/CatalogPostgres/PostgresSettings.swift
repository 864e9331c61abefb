import Catalog
import Foundation

/// Where the shared catalog lives and how this process takes part in it.
///
/// Read from `catalog: postgresql://user@host:port/database` or from a `postgres:` section (host, port, database,
/// user, password file). The password never sits in the configuration file itself: it comes from the URL (for
/// tests) or from a file readable only by the service user.
public struct PostgresSettings: Sendable, Equatable {
    /// A host name or address; a path starting with "/" is the folder of the server's Unix socket.
    public var host: String = "127.0.0.1"
    public var port: Int = 5432
    public var database: String = "wardwatch"
    public var user: String = "wardwatch"
    public var password: String?
    /// Connections this process may open at most (the pool grows to it under load).
    public var maximumConnections: Int = 8
    /// This process's name among the nodes sharing the catalog (shown by `status`, written on its leases).
    public var nodeID: String = PostgresSettings.defaultNodeID
    /// How long a claim on a file stays valid without a heartbeat; a dead node's files are taken over after it.
    public var leaseSeconds: Double = 30
    /// How often a live node renews its leases and its own heartbeat.
    public var heartbeatSeconds: Double = 5
    /// Whether this process is listed among the nodes (`status`): daemons and API servers are, one-off commands not.
    public var registersNode = false
    /// Where this node mounts the shared recordings differently (`postgres.path_map`): the catalog keeps stored
    /// paths, and this node reads and writes through its own mounts.
    public var pathMap = PathMap()

    public init() {}

    /// "host-pid": unique per process, stable for its life.
    public static var defaultNodeID: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Reads `postgresql://user:password@host:port/database` (also `postgres://`). The host may be a
    /// percent-encoded socket folder (`postgresql://user@%2Ftmp%2Fpg/db`), as libpq accepts.
    /// - Throws: `CatalogError(.cannotOpen)` naming the part that is wrong.
    public init(url text: String) throws(CatalogError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, scheme == "postgresql" || scheme == "postgres" else {
            throw CatalogError(.cannotOpen, "catalog '\(Self.redacted(text))': not a postgresql:// URL")
        }
        self.init()
        if let host = components.percentEncodedHost?.removingPercentEncoding, !host.isEmpty { self.host = host }
        if let port = components.port { self.port = port }
        if let user = components.user, !user.isEmpty { self.user = user }
        password = components.password
        let name = String(components.path.drop(while: { $0 == "/" }))
        if !name.isEmpty { database = name }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host": if let value = item.value, !value.isEmpty { host = value }
            case "node": if let value = item.value, !value.isEmpty { nodeID = value }
            case "pool":
                guard let value = item.value.flatMap(Int.init), value > 0 else {
                    throw CatalogError(.cannotOpen, "catalog '\(Self.redacted(text))': pool= wants a positive whole number")
                }
                maximumConnections = value
            default:
                throw CatalogError(.cannotOpen, "catalog '\(Self.redacted(text))': unknown parameter '\(item.name)' (known: host, node, pool)")
            }
        }
    }

    /// Whether a catalog location names PostgreSQL rather than a SQLite file.
    public static func isPostgresURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// The location without its password, for messages and logs.
    public var displayName: String { "postgresql://\(user)@\(host.hasPrefix("/") ? host : "\(host):\(port)")/\(database)" }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    /// Reads the password from a file (its first line), as a `postgres:` section's `password_file` names it.
    /// - Throws: `CatalogError(.cannotOpen)` naming the file.
    public mutating func readPassword(file: String) throws(CatalogError) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CatalogError(.cannotOpen, "cannot read the PostgreSQL password file '\(file)' (check that it exists and is readable by this user)")
        }
        password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }
}
