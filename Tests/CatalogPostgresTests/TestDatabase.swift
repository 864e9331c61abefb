import CatalogPostgres
import Foundation
import Logging
import PostgresNIO

/// A real PostgreSQL server for tests: `Scripts/postgres-cluster.sh start` exports its URL as
/// WARDWATCH_TEST_POSTGRES. Each test gets a database of its own, dropped afterwards.
enum TestDatabase {
    static var url: String? { ProcessInfo.processInfo.environment["WARDWATCH_TEST_POSTGRES"] }
    static var available: Bool { url != nil }

    /// Settings for a new, empty database on the test server.
    static func create() async throws -> PostgresSettings {
        var settings = try PostgresSettings(url: url!)
        let name = "wwtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await admin(settings) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        settings.database = name
        settings.heartbeatSeconds = 0.2
        return settings
    }

    static func drop(_ settings: PostgresSettings) async {
        let name = settings.database
        try? await admin(try PostgresSettings(url: url!)) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    /// Runs `body` on a fresh database, dropping it afterwards whatever happens.
    static func with<T>(_ body: (PostgresSettings) async throws -> T) async throws -> T {
        let settings = try await create()
        do {
            let result = try await body(settings)
            await drop(settings)
            return result
        } catch {
            await drop(settings)
            throw error
        }
    }

    static let logger = Logger(label: "wardwatch.tests.postgres")

    private static func admin(_ settings: PostgresSettings, _ body: (PostgresConnection) async throws -> Void) async throws {
        let configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: settings.password,
            database: settings.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
