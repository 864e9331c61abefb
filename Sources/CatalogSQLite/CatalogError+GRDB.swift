import Catalog
import GRDB

extension CatalogError {
    /// Translates a GRDB/SQLite error into a one-line catalog error naming the file.
    init(wrapping error: any Error, path: String) {
        guard let database = error as? DatabaseError else {
            self.init(.io, "catalog '\(path)': \(error)")
            return
        }
        let detail = database.message ?? "\(database.resultCode)"
        switch database.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "catalog '\(path)' is busy (another process holds a write lock): \(detail)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self.init(.corrupt, "catalog '\(path)' is damaged or not a WardWatch catalog: \(detail)")
        case .SQLITE_CONSTRAINT:
            self.init(.constraint, "catalog '\(path)' refused the change: \(detail)")
        default:
            self.init(.io, "catalog '\(path)': \(detail)")
        }
    }
}
