import Foundation
import Yams

/// The `postgres:` section: a shared PostgreSQL catalog, for deployments where several indexer boxes and API
/// servers use one catalog. (`catalog: postgresql://…` says the same in one line.)
public struct SharedCatalogConfiguration: Sendable, Equatable {
    /// Host name or address; a path is the folder of the server's Unix socket.
    public var host: String = "127.0.0.1"
    public var port: Int = 5432
    public var database: String = "wardwatch"
    public var user: String = "wardwatch"
    /// A file holding the password (first line), readable only by the service user.
    public var passwordFile: String?
    /// This node's name among those sharing the catalog (default: host name and process id).
    public var node: String?
    /// How long a node's claim on a file lasts without a heartbeat (seconds).
    public var leaseSeconds: Double = 30
    /// The connections this process may open.
    public var poolSize: Int = 8
    /// Where event stills are written and read: a folder every node and API server mounts at the same path.
    public var stillsFolder: String?
    /// Where this node mounts the shared recordings differently from the paths the catalog stores: stored
    /// prefix → local prefix (e.g. `/srv/cameras: /mnt/nas/cameras`).
    public var pathMap: [String: String] = [:]

    public init() {}
}

extension NodeReader {
    func sharedCatalog(_ node: Node) throws(ConfigurationError) -> SharedCatalogConfiguration {
        let map = try mapping(node, key: "postgres", allowed: [
            "host", "port", "database", "user", "password_file", "node", "lease", "pool", "stills", "path_map"])
        var shared = SharedCatalogConfiguration()
        if let n = map["host"] { shared.host = try string(n, key: "postgres.host") }
        if let n = map["port"] { shared.port = try int(n, key: "postgres.port", in: 1...65535) }
        if let n = map["database"] { shared.database = try string(n, key: "postgres.database") }
        if let n = map["user"] { shared.user = try string(n, key: "postgres.user") }
        if let n = map["password_file"] { shared.passwordFile = resolve(try string(n, key: "postgres.password_file")) }
        if let n = map["node"] { shared.node = try string(n, key: "postgres.node") }
        if let n = map["lease"] {
            shared.leaseSeconds = try positive(n, key: "postgres.lease")
            guard shared.leaseSeconds >= 2 else { throw error(n, key: "postgres.lease", "must be at least 2 seconds") }
        }
        if let n = map["pool"] { shared.poolSize = try int(n, key: "postgres.pool", in: 1...200) }
        if let n = map["stills"] { shared.stillsFolder = resolve(try string(n, key: "postgres.stills")) }
        if let n = map["path_map"] {
            guard let pairs = n.mapping else { throw error(n, key: "postgres.path_map", "expected stored prefix: local prefix pairs") }
            for (stored, local) in pairs {
                let from = try string(stored, key: "postgres.path_map"), to = try string(local, key: "postgres.path_map")
                guard from.hasPrefix("/"), to.hasPrefix("/") else {
                    throw error(stored, key: "postgres.path_map", "both prefixes must be absolute paths")
                }
                shared.pathMap[from] = to
            }
        }
        return shared
    }
}
