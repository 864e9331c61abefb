import Catalog
import CatalogConformance
import CatalogPostgres
import Foundation
import Testing

/// Each check gets a database of its own on the test server, dropped afterwards.
struct PostgresBackend: CatalogBackendFactory {
    func makeStore() async throws -> any CatalogStore {
        let settings = try await TestDatabase.create()
        do {
            return try await PostgresCatalog.open(settings)
        } catch {
            await TestDatabase.drop(settings)
            throw error
        }
    }

    func release(_ store: any CatalogStore) async {
        guard let catalog = store as? PostgresCatalog else { return }
        await catalog.close()
        await TestDatabase.drop(catalog.settings)
    }
}

@Suite("The PostgreSQL catalog passes the store conformance suite",
       .enabled(if: TestDatabase.available, "set WARDWATCH_TEST_POSTGRES (Scripts/postgres-cluster.sh start)"))
struct PostgresConformanceTests {
    @Test(arguments: CatalogConformance.checks)
    func conformance(_ check: ConformanceCheck) async throws {
        try await check.run(with: PostgresBackend())
    }
}
