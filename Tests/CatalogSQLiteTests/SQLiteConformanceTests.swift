import Catalog
import CatalogConformance
import CatalogSQLite
import Foundation
import Testing

/// Each check gets a catalog file of its own in a temporary folder.
struct SQLiteBackend: CatalogBackendFactory {
    func makeStore() async throws -> any CatalogStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteCatalog(path: folder.appendingPathComponent("catalog.sqlite").path)
    }

    func release(_ store: any CatalogStore) async {
        guard let catalog = store as? SQLiteCatalog else { return }
        try? FileManager.default.removeItem(atPath: (catalog.path as NSString).deletingLastPathComponent)
    }
}

@Suite("The SQLite catalog passes the store conformance suite")
struct SQLiteConformanceTests {
    @Test(arguments: CatalogConformance.checks)
    func conformance(_ check: ConformanceCheck) async throws {
        try await check.run(with: SQLiteBackend())
    }
}
