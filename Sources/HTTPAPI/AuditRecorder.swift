import Access
import Catalog

/// Writes the API's audit entries with group commit: requests that arrive while a write is on disk
/// are appended together in the next transaction, so a busy server pays one disk sync per batch
/// instead of one per request, and every request still waits until its entry is durable.
actor AuditRecorder {
    private let catalog: any AuditStore
    private var pending: [(entry: NewAuditEntry, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(catalog: any AuditStore) {
        self.catalog = catalog
    }

    /// Returns once `entry` is committed to the trail.
    func record(_ entry: NewAuditEntry) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            pending.append((entry, done))
            if !writing {
                writing = true
                Task { await self.writePending() }
            }
        }
    }

    private func writePending() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let catalog = self.catalog
            let entries = batch.map(\.entry)
            do {
                _ = try await catalog.appendAudit(entries, hash: sha256Hex)
                for request in batch { request.done.resume() }
            } catch {
                for request in batch { request.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
