import Foundation

/// The chain of custody of exported evidence, and the legal holds it places.
public protocol CustodyStore: Sendable {
    /// Stores a custody step and, in the same transaction, puts `holding` on legal hold for the
    /// record's case (an event already held for that case stays held once).
    /// - Throws: `CatalogError` with code `.constraint` (and stores nothing) when an event does not exist.
    /// With `auditing`, its entry is appended to the audit trail in that same transaction: an export
    /// is never recorded without its audit entry, nor audited without its record.
    @discardableResult
    func addCustodyRecord(_ record: NewCustodyRecord, holding eventIDs: [Int64], auditing: AuditedChange?) async throws
        -> CustodyRecord

    /// Custody steps in order, optionally of one case.
    func custodyRecords(caseID: String?) async throws -> [CustodyRecord]

    /// True when the event is held for any case: retention must never delete it.
    func isOnLegalHold(eventID: Int64) async throws -> Bool

    /// Every legal hold, by event then case, optionally of one case.
    func legalHolds(caseID: String?) async throws -> [LegalHold]
}

extension CustodyStore {
    /// Stores a custody step and its holds, without an audit entry (see the requirement).
    @discardableResult
    public func addCustodyRecord(_ record: NewCustodyRecord, holding eventIDs: [Int64]) async throws -> CustodyRecord {
        try await addCustodyRecord(record, holding: eventIDs, auditing: nil)
    }

    /// Every legal hold, of every case.
    public func legalHolds() async throws -> [LegalHold] { try await legalHolds(caseID: nil) }
}

/// An audit entry to append in the same transaction as a change, with the chain's hash function
/// (SHA-256 hex of an entry's `chainText`; the stores have no cryptography of their own).
public struct AuditedChange: Sendable {
    public var entry: NewAuditEntry
    public var hash: @Sendable (String) -> String

    public init(_ entry: NewAuditEntry, hash: @escaping @Sendable (String) -> String) {
        self.entry = entry
        self.hash = hash
    }
}
