import Foundation

extension AuditEntry {
    /// The chain rule, once for every store: `entries` numbered on from the last stored entry and each
    /// linked to the one before it (the first to `genesis` on an empty trail), all at `time`.
    /// - Parameters:
    ///   - last: the sequence and hash of the newest stored entry, read in the appending transaction.
    ///   - hash: SHA-256 (hex) of an entry's `chainText` (the caller's, so Catalog needs no crypto).
    public static func chained(_ entries: [NewAuditEntry], after last: (sequence: Int64, hash: String)?, time: Date,
                               hash: (String) -> String) -> [AuditEntry] {
        var sequence = last?.sequence ?? 0
        var previousHash = last?.hash ?? genesis
        let time = time.atCatalogPrecision
        return entries.map { new in
            sequence += 1
            var entry = AuditEntry(sequence: sequence, time: time, actor: new.actor, action: new.action, query: new.query,
                                   resultCount: new.resultCount, client: new.client, previousHash: previousHash, hash: "")
            entry.hash = hash(entry.chainText)
            previousHash = entry.hash
            return entry
        }
    }
}
