import Catalog
import Foundation
import PostgresNIO

// MARK: - Loading whole tables (moving a catalog from SQLite)

extension PostgresCatalog {
    /// A bulk load into an empty catalog, in one transaction: nothing is visible (or left behind) unless it all
    /// succeeds. Rows keep their ids; identity counters move past them afterwards.
    public final class Load: @unchecked Sendable {
        let connection: PostgresConnection
        let catalog: PostgresCatalog

        init(connection: PostgresConnection, catalog: PostgresCatalog) {
            self.connection = connection
            self.catalog = catalog
        }

        /// Streams rows into `rows.table` with COPY (text format).
        public func append(_ rows: CatalogTableRows) async throws(CatalogError) {
            guard CatalogTables.inCopyOrder.contains(rows.table), !rows.rows.isEmpty else { return }
            let columns = rows.columns
            guard columns.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
                throw CatalogError(.invalidQuery, "catalog '\(catalog.settings.displayName)': odd column names in '\(rows.table)'")
            }
            try await catalog.call {
                try await connection.copyFrom(table: rows.table, columns: columns, logger: catalog.logger) { writer in
                    var buffer = ByteBuffer()
                    for row in rows.rows {
                        for (index, value) in row.enumerated() {
                            if index > 0 { buffer.writeStaticString("\t") }
                            Self.write(value, to: &buffer)
                        }
                        buffer.writeStaticString("\n")
                        if buffer.readableBytes > 1 << 20 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
        }

        /// Sets reports' folded search text (SQLite keeps it in its full-text table).
        public func setReportSearchText(_ texts: [Int64: String]) async throws(CatalogError) {
            guard !texts.isEmpty else { return }
            let ids = Array(texts.keys), values = ids.map { texts[$0]! }
            try await catalog.call {
                try await catalog.execute("""
                    UPDATE report r SET folded = t.folded FROM unnest(\(ids)::bigint[], \(values)::text[]) AS t(id, folded)
                    WHERE r.id = t.id
                    """, on: connection)
            }
        }

        /// Stores a still.
        public func addStill(name: String, data: Data) async throws(CatalogError) {
            try await catalog.call {
                try await catalog.execute("""
                    INSERT INTO still (name, data, created_ms) VALUES (\(name), \(ByteBuffer(bytes: data)), \(PostgresCatalog.now))
                    ON CONFLICT (name) DO UPDATE SET data = excluded.data
                    """, on: connection)
            }
        }

        /// COPY's text format: tabs between columns, `\N` for NULL, backslash escapes, bytea as `\\x` + hex.
        static func write(_ value: CatalogValue, to buffer: inout ByteBuffer) {
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case let .integer(number): buffer.writeString(String(number))
            case let .real(number): buffer.writeString(number.isFinite ? "\(number)" : (number.isNaN ? "NaN" : number > 0 ? "Infinity" : "-Infinity"))
            case let .text(text):
                var escaped = ""
                escaped.reserveCapacity(text.utf8.count)
                for character in text.unicodeScalars {
                    switch character {
                    case "\\": escaped += "\\\\"
                    case "\t": escaped += "\\t"
                    case "\n": escaped += "\\n"
                    case "\r": escaped += "\\r"
                    default: escaped.unicodeScalars.append(character)
                    }
                }
                buffer.writeString(escaped)
            case let .blob(data):
                buffer.writeStaticString("\\\\x")
                let digits = Array("0123456789abcdef".utf8)
                for byte in data {
                    buffer.writeInteger(digits[Int(byte >> 4)])
                    buffer.writeInteger(digits[Int(byte & 0x0F)])
                }
            }
        }
    }

    /// Loads into this catalog in one transaction: `body` appends tables through the `Load`.
    /// - Throws: `CatalogError(.constraint)` when the catalog already holds recordings, events, users or audit entries.
    public func load(_ body: (Load) async throws -> Void) async throws(CatalogError) {
        try await call {
            try await client.withConnection { connection in
                try await execute("BEGIN", on: connection)
                do {
                    for table in ["recording", "event", "app_user", "audit", "report", "source_file", "custody"] {
                        let any = try await rows(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(table) LIMIT 1"), on: connection)
                        if !any.isEmpty {
                            throw CatalogError(.constraint, "catalog '\(settings.displayName)' is not empty (its \(table) table has rows): copy into a new database")
                        }
                    }
                    try await body(Load(connection: connection, catalog: self))
                    for table in ["recording", "event", "alert_outbox", "custody", "report"] {
                        let idColumn = table == "alert_outbox" ? "sequence" : "id"
                        try await execute(PostgresQuery(unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', '\(idColumn)'), coalesce(max(\(idColumn)), 0) + 1, false)
                            FROM \(table)
                            """), on: connection)
                    }
                    // The bounds that time-overlap scans rely on.
                    try await execute("""
                        UPDATE catalog_meta SET value = greatest(value, (SELECT coalesce(max(end_ms - start_ms), 0) FROM event))
                        WHERE key = 'max_event_ms'
                        """, on: connection)
                    try await execute("""
                        UPDATE catalog_meta SET value = greatest(value, (SELECT coalesce(max(end_ms - start_ms), 0) FROM report))
                        WHERE key = 'max_report_window_ms'
                        """, on: connection)
                    try await execute("COMMIT", on: connection)
                } catch {
                    _ = try? await execute("ROLLBACK", on: connection)
                    throw error
                }
            }
        }
        cameraCache.withLock { $0 = nil }
    }

    /// How many rows a table holds.
    public func rowCount(table: String) async throws(CatalogError) -> Int {
        guard CatalogTables.inCopyOrder.contains(table) || table == "still" else {
            throw CatalogError(.invalidQuery, "catalog '\(settings.displayName)': no table '\(table)' to count")
        }
        return try await call { try await rows(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].get("n", as: Int.self) }
    }
}
