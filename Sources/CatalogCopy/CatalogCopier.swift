import Access
import Catalog
import CatalogPostgres
import CatalogSQLite
import Foundation

/// What a copy did and what the check afterwards found.
public struct CatalogCopyReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        public var source: Int
        public var target: Int
    }

    public var tables: [Table] = []
    /// Stills named by events and found in the source's stills folder, copied into the target.
    public var stillsCopied = 0
    /// Stills named by events but missing from the source's folder (reported, not fatal).
    public var stillsMissing: [String] = []
    public var auditEntries = 0
    /// The first problem in the target's audit chain, or nil when it verifies.
    public var auditProblem: String?
    /// Whether the target's newest audit hash is the source's.
    public var auditHeadMatches = true

    /// Counts equal on every table and the audit chain intact.
    public var verified: Bool { tables.allSatisfy { $0.source == $0.target } && auditProblem == nil && auditHeadMatches }
}

/// Moves an existing SQLite catalog into an empty PostgreSQL catalog: every table with its ids, the reports' search
/// text, and the stills, in one transaction; then counts both sides and verifies the audit chain.
public enum CatalogCopier {
    public static func copy(from source: SQLiteCatalog, to target: PostgresCatalog,
                            progress: @Sendable (String) -> Void = { _ in }) async throws -> CatalogCopyReport {
        var report = CatalogCopyReport()
        var stillNames: [String] = []
        let stillsFolder = source.stillsDirectory
        try await target.load { load in
            for table in CatalogTables.inCopyOrder {
                var copied = 0
                var position: Int64?
                repeat {
                    let (batch, next) = try source.dump(table: table, after: position, limit: 50_000)
                    if table == "event", let column = batch.columns.firstIndex(of: "still") {
                        for row in batch.rows { if case let .text(name) = row[column] { stillNames.append(name) } }
                    }
                    try await load.append(batch)
                    copied += batch.rows.count
                    position = next
                    if table == "event" { progress("event: \(copied) rows") }
                } while position != nil
                progress("\(table): \(copied) rows")
            }
            try await load.setReportSearchText(try source.reportSearchText())
            var copiedStills = 0
            var missing: [String] = []
            for name in Set(stillNames).sorted() {
                let path = (stillsFolder as NSString).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: path) else {
                    missing.append(name)
                    continue
                }
                try await load.addStill(name: name, data: data)
                copiedStills += 1
            }
            report.stillsCopied = copiedStills
            report.stillsMissing = missing
            progress("stills: \(copiedStills) copied, \(missing.count) missing")
        }
        for table in CatalogTables.inCopyOrder {
            report.tables.append(.init(name: table, source: try source.rowCount(table: table), target: try await target.rowCount(table: table)))
        }
        let entries = try await target.auditEntries(actor: nil, action: nil, from: nil, to: nil)
        report.auditEntries = entries.count
        report.auditProblem = AuditChain.firstProblem(in: entries)
        let sourceEntries = try await source.auditEntries(actor: nil, action: nil, from: nil, to: nil)
        report.auditHeadMatches = sourceEntries.last?.hash == entries.last?.hash
        return report
    }
}
