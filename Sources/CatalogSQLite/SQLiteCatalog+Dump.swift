import Catalog
import Foundation
import GRDB

// MARK: - Reading whole tables (moving a catalog to another engine)

extension SQLiteCatalog {
    /// One page of a table in storage order: the rows after `position` (nil: from the start), at most `limit`,
    /// and the position to ask for next (nil after the last page). Pages are separate reads: copy from a catalog
    /// that nothing writes to meanwhile.
    /// - Parameter table: one of `CatalogTables.inCopyOrder`.
    public func dump(table: String, after position: Int64?, limit: Int) throws(CatalogError) -> (rows: CatalogTableRows, next: Int64?) {
        guard CatalogTables.inCopyOrder.contains(table) else {
            throw CatalogError(.invalidQuery, "catalog '\(path)': no table '\(table)' to read")
        }
        return try readNow { db in
            let columns = try db.columns(in: table).map(\.name)
            // event_link has no rowid: it pages by offset (it is small next to events).
            let byOffset = table == "event_link"
            let sql = byOffset
                ? "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY report_id, event_id LIMIT ? OFFSET ?"
                : "SELECT rowid, \(columns.joined(separator: ", ")) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?"
            let arguments: StatementArguments = byOffset ? [limit, position ?? 0] : [position ?? Int64.min, limit]
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var rows: [[CatalogValue]] = []
            rows.reserveCapacity(limit)
            var last = position
            while let row = try cursor.next() {
                if byOffset {
                    rows.append((0..<row.count).map { Self.value(row[$0] as DatabaseValue) })
                } else {
                    last = row[0]
                    rows.append((1..<row.count).map { Self.value(row[$0] as DatabaseValue) })
                }
            }
            let next: Int64? = rows.count < limit ? nil : byOffset ? (position ?? 0) + Int64(rows.count) : last
            return (CatalogTableRows(table: table, columns: columns, rows: rows), next)
        }
    }

    /// How many rows a table holds.
    public func rowCount(table: String) throws(CatalogError) -> Int {
        guard CatalogTables.inCopyOrder.contains(table) else {
            throw CatalogError(.invalidQuery, "catalog '\(path)': no table '\(table)' to count")
        }
        return try readNow { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    /// Each report's folded search text, by report id.
    public func reportSearchText() throws(CatalogError) -> [Int64: String] {
        try readNow { db in
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
