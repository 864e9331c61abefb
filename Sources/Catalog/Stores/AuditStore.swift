import Foundation

/// The append-only, hash-chained audit trail.
public protocol AuditStore: Sendable {
    /// Appends to the audit trail in one transaction, numbering each entry after the last one and
    /// chaining it to the one before it (`AuditEntry.genesis` for the first). A busy server hands
    /// several requests' entries over at once, so they share one disk sync.
    /// - Parameter hash: SHA-256 (hex) of an entry's `chainText`; the store has no cryptography of its own.
    @discardableResult
    func appendAudit(_ entries: [NewAuditEntry], hash: @escaping @Sendable (String) -> String) async throws -> [AuditEntry]

    /// Audit entries in order, optionally filtered by actor, action and time [from, to).
    func auditEntries(actor: String?, action: String?, from: Date?, to: Date?) async throws -> [AuditEntry]

    /// The newest audit entry (the highest sequence), or nil for an empty trail: what a checkpoint signs.
    func latestAuditEntry() async throws -> AuditEntry?
}

extension AuditStore {
    /// Appends one entry to the audit trail.
    @discardableResult
    public func appendAudit(_ entry: NewAuditEntry, hash: @escaping @Sendable (String) -> String) async throws -> AuditEntry {
        try await appendAudit([entry], hash: hash)[0]
    }
}
