import Foundation

/// One stored value, whatever the database: what moving a catalog between engines carries.
public enum CatalogValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// Rows of one catalog table, in storage order, with their column names.
public struct CatalogTableRows: Sendable, Equatable {
    public var table: String
    public var columns: [String]
    public var rows: [[CatalogValue]]

    public init(table: String, columns: [String], rows: [[CatalogValue]]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }
}

/// The catalog's tables in an order that satisfies their references (a copy inserts them in this order).
public enum CatalogTables {
    public static let inCopyOrder = [
        "camera", "recording", "event", "source_file", "alert_outbox", "app_user", "audit", "custody", "legal_hold", "report",
        "event_link", "recording_link_queue", "event_review",
    ]
}
