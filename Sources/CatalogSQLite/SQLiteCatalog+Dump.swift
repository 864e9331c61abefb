import Catalog
import Foundation
import GRDB

// MARK: - Reading whole tables (moving a catalog to another engine)

extension SQLiteCatalog {
    /// Reads a table in storage order, `batchSize` rows at a time, inside one read transaction (a consistent snapshot
    /// across batches only within one call).
    /// - Parameter table: one of `CatalogTables.inCopyOrder`.
    public func dump(table: String, batchSize: Int = 5000, _ body: (CatalogTableRows) throws -> Void) throws(CatalogError) {
        guard CatalogTables.inCopyOrder.contains(table) else {
            throw CatalogError(.invalidQuery, "catalog '\(path)': no table '\(table)' to read")
        }
        try read { db in
            let columns = try db.columns(in: table).map(\.name)
            let order = table == "event_link" ? "report_id, event_id" : "rowid"
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(order)")
            var batch: [[CatalogValue]] = []
            batch.reserveCapacity(batchSize)
            while let row = try cursor.next() {
                batch.append((0..<row.count).map { Self.value(row[$0] as DatabaseValue) })
                if batch.count == batchSize {
                    try body(CatalogTableRows(table: table, columns: columns, rows: batch))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try body(CatalogTableRows(table: table, columns: columns, rows: batch)) }
        }
    }

    /// How many rows a table holds.
    public func rowCount(table: String) throws(CatalogError) -> Int {
        guard CatalogTables.inCopyOrder.contains(table) else {
            throw CatalogError(.invalidQuery, "catalog '\(path)': no table '\(table)' to count")
        }
        return try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    /// Each report's folded search text, by report id.
    public func reportSearchText() throws(CatalogError) -> [Int64: String] {
        try read { db in
            var result: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT rowid, folded FROM report_text") { result[row[0]] = row[1] }
            return result
        }
    }

    private static func value(_ value: DatabaseValue) -> CatalogValue {
        switch value.storage {
        case .null: .null
        case let .int64(number): .integer(number)
        case let .double(number): .real(number)
        case let .string(text): .text(text)
        case let .blob(data): .blob(data)
        }
    }
}
