import Access
import Catalog

/// The one place audit entries are built and written.
///
/// Writes use group commit: entries that arrive while a write is on disk are appended together in
/// the next transaction, so a busy server pays one disk sync per batch instead of one per request,
/// and every caller still waits until its entry is durable.
public actor AuditTrail {
    private let store: any CatalogStore
    private var pending: [(entry: NewAuditEntry, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    public init(store: any CatalogStore) {
        self.store = store
    }

    /// Records that `requester` did `action`; `detail` replaces the request text when the action
    /// has a better summary (an export's case and manifest). Returns once the entry is committed.
    public func record(_ requester: Requester, _ action: String, detail: String? = nil, results: Int?) async throws {
        try await append(NewAuditEntry(actor: requester.name, action: action, query: detail ?? requester.request,
                                       resultCount: results, client: requester.client))
    }

    /// Records a refusal of the access policy.
    public func record(_ requester: Requester, _ denial: AccessDenial) async throws {
        try await record(requester, denial.auditAction, results: nil)
    }

    private func append(_ entry: NewAuditEntry) async throws {
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
            let store = self.store
            let entries = batch.map(\.entry)
            do {
                _ = try await store.appendAudit(entries, hash: sha256Hex)
                for request in batch { request.done.resume() }
            } catch {
                for request in batch { request.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
