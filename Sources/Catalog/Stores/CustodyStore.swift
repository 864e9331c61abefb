import Foundation

/// The chain of custody of exported evidence, and the legal holds it places.
public protocol CustodyStore: Sendable {
    /// Stores a custody step and, in the same transaction, puts `holding` on legal hold for the
    /// record's case (an event already held for that case stays held once).
    /// - Throws: `CatalogError` with code `.constraint` (and stores nothing) when an event does not exist.
    @discardableResult
    func addCustodyRecord(_ record: NewCustodyRecord, holding eventIDs: [Int64]) async throws -> CustodyRecord

    /// Custody steps in order, optionally of one case.
    func custodyRecords(caseID: String?) async throws -> [CustodyRecord]

    /// True when the event is held for any case: retention must never delete it.
    func isOnLegalHold(eventID: Int64) async throws -> Bool

    /// Every legal hold, by event then case, optionally of one case.
    func legalHolds(caseID: String?) async throws -> [LegalHold]
}

extension CustodyStore {
    /// Every legal hold, of every case.
    public func legalHolds() async throws -> [LegalHold] { try await legalHolds(caseID: nil) }
}
