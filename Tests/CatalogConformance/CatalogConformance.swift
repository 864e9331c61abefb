import Catalog
import Testing

/// Makes the stores the conformance suite runs against: one new, empty catalog per check.
///
/// A backend's test target conforms a factory and runs every check with it:
/// ```swift
/// @Test("the SQLite catalog passes the conformance suite", arguments: CatalogConformance.checks)
/// func conformance(_ check: ConformanceCheck) async throws {
///     try await check.run(with: SQLiteBackend())
/// }
/// ```
public protocol CatalogBackendFactory: Sendable {
    /// A new, empty store (its own file, schema or database), migrated and ready.
    func makeStore() async throws -> any CatalogStore

    /// Called once a check has finished with a store from `makeStore` (delete the file, drop the schema).
    func release(_ store: any CatalogStore) async
}

extension CatalogBackendFactory {
    public func release(_ store: any CatalogStore) async {}
}

/// One behavioural check of the store roles, written once against the protocols.
public struct ConformanceCheck: Sendable, CustomTestStringConvertible {
    /// "role: what it checks".
    public let name: String
    let body: @Sendable (any CatalogStore) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (any CatalogStore) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check on a fresh store from `factory`, releasing the store afterwards.
    public func run(with factory: some CatalogBackendFactory) async throws {
        let store = try await factory.makeStore()
        do {
            try await body(store)
        } catch {
            await factory.release(store)
            throw error
        }
        await factory.release(store)
    }

    public var testDescription: String { name }
}

/// Every check every catalog backend must pass. Expectations are recorded with Swift Testing's
/// `#expect` in whichever test runs the check.
public enum CatalogConformance {
    public static var checks: [ConformanceCheck] {
        CameraChecks.all + RecordingChecks.all + IngestQueueChecks.all + AlertOutboxChecks.all + UserChecks.all
            + AuditChecks.all + SearchChecks.all + CustodyChecks.all + ReportChecks.all + LinkChecks.all + RecordingStreamChecks.all
            + ConsoleChecks.all + RetentionChecks.all
            + SourceIntegrityChecks.all + CrashRecoveryChecks.all + GrownRecordingChecks.all
            + MovementChecks.all
    }
}
