import Foundation

/// A signed statement of how long the audit trail was and how it ended: "at this time it held `entries`
/// entries, the last one hashing to `lastHash`". Written at intervals and at each export to an anchor file
/// and to the alert logs, which live apart from the catalog; cutting the trail's tail (deleting the newest
/// entries, or restoring an older copy of the catalog) then no longer goes unnoticed, because a checkpoint
/// counted more. Signing and checking signatures live in Evidence, with the ward's key.
public struct AuditCheckpoint: Codable, Sendable, Equatable {
    public static let formatName = "wardwatch-audit-checkpoint/1"

    public var format: String = formatName
    /// When it was taken (ISO 8601, UTC).
    public var time: String
    /// Why: "interval", "export" or "manual".
    public var reason: String
    /// How many entries the trail held (its entries are numbered 1…n).
    public var entries: Int64
    /// The hash of entry `entries` (the chain's genesis value for an empty trail).
    public var lastHash: String
    /// The signer's Ed25519 public key, base64 of the 32 raw bytes.
    public var signer: String
    /// Ed25519 signature over `signedText`, base64.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case format, time, reason, entries, signer, signature
        case lastHash = "last_hash"
    }

    public init(time: String, reason: String, entries: Int64, lastHash: String, signer: String, signature: String) {
        self.time = time
        self.reason = reason
        self.entries = entries
        self.lastHash = lastHash
        self.signer = signer
        self.signature = signature
    }

    /// The bytes the signature covers: every field but the signature, one a line.
    public var signedText: String {
        [format, time, reason, String(entries), lastHash, signer].joined(separator: "\n")
    }

    /// Why `trail` (the whole audit trail, oldest first, numbered from 1) does not extend this checkpoint, or nil
    /// when it does: it must reach entry number `entries`, and that entry must have the recorded hash.
    public func problem(with trail: [AuditEntry]) -> String? {
        guard entries > 0 else { return nil }
        let last = trail.last?.sequence ?? 0
        guard last >= entries else {
            return "the audit trail ends at entry #\(last), but the checkpoint of \(time) counted \(entries) entries: "
                + "its last \(entries - last) entries were cut"
        }
        guard let entry = trail.first(where: { $0.sequence == entries }) else {
            return "audit entry #\(entries), the last one the checkpoint of \(time) counted, is missing"
        }
        guard entry.hash == lastHash else {
            return "audit entry #\(entry.sequence) hashes to \(entry.hash.prefix(16))…, but the checkpoint of \(time) recorded "
                + "\(lastHash.prefix(16))…: the trail was rewritten up to there"
        }
        return nil
    }
}
