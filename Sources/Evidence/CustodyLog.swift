import Catalog
import Foundation

/// One line of a bundle's `custody.jsonl`: who did what with the bundle, when and why.
///
/// Each line is signed on its own and chained twice: to the exact bytes of the line before it
/// (`previous_sha256`, zeros for the first) and to the bundle's manifest (`manifest_sha256`). So a
/// line cannot be edited, removed from the middle, reordered or moved to another bundle without
/// `verify` noticing. Cutting lines off the end leaves a valid shorter log, as with the audit
/// trail; the catalog's custody records are the copy to compare with.
public struct CustodyEntry: Codable, Sendable, Equatable {
    /// 1 for the export, then 2, 3, … for each hand-off.
    public var sequence: Int
    /// ISO 8601, UTC, milliseconds.
    public var time: String
    public var action: CustodyAction
    /// Who did it (the exporting operator, or the person handing the bundle on).
    public var by: String
    /// Who received the bundle (hand-offs only).
    public var to: String?
    public var caseID: String
    public var reason: String
    /// SHA-256 of the bundle's manifest.json.
    public var manifestSHA256: String
    /// SHA-256 of the previous line's bytes (without its newline); 64 zeros on the first line.
    public var previousSHA256: String
    /// The signer's raw Ed25519 public key, base64.
    public var publicKey: String
    /// Ed25519 signature over `signedText`, base64.
    public var signature: String

    /// The fingerprint (SHA-256 of the raw key, hex) of the key that signed this line; nil when
    /// `publicKey` is not a key.
    public var signerFingerprint: String? {
        guard let raw = Data(base64Encoded: publicKey), let key = try? EvidencePublicKey(rawRepresentation: raw) else { return nil }
        return key.fingerprint
    }

    enum CodingKeys: String, CodingKey {
        case sequence, time, action, by, to, reason, signature
        case caseID = "case"
        case manifestSHA256 = "manifest_sha256"
        case previousSHA256 = "previous_sha256"
        case publicKey = "public_key"
    }

    /// The exact text the signature covers: every field but the signature, in a fixed order,
    /// joined by "|" (with "\" and "|" escaped), UTF-8. Written out so that anyone can check a
    /// line with any Ed25519 tool, whatever their JSON library does with spacing or key order.
    public var signedText: String {
        ["wardwatch-custody/1", String(sequence), time, action.rawValue, by, to ?? "", caseID, reason, manifestSHA256,
         previousSHA256, publicKey]
            .map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }
            .joined(separator: "|")
    }

    /// The first line's `previousSHA256`.
    public static let genesis = String(repeating: "0", count: 64)
}

/// Reading, writing and checking `custody.jsonl`.
public enum CustodyLog {
    /// A new signed entry that follows `previousLine` (nil for the export line).
    static func entry(sequence: Int, time: Date, action: CustodyAction, by: String, to: String?, caseID: String,
                      reason: String, manifestSHA256: String, previousLine: Data?,
                      key: EvidenceSigningKey) throws(EvidenceError) -> CustodyEntry {
        var entry = CustodyEntry(
            sequence: sequence, time: Timestamp.format(time), action: action, by: by, to: to, caseID: caseID, reason: reason,
            manifestSHA256: manifestSHA256, previousSHA256: previousLine.map(FileDigest.sha256) ?? CustodyEntry.genesis,
            publicKey: key.publicKey.base64, signature: "")
        entry.signature = try key.signature(for: Data(entry.signedText.utf8)).base64EncodedString()
        return entry
    }

    /// The entry as one line of compact JSON, with its newline.
    static func line(_ entry: CustodyEntry) throws(EvidenceError) -> Data {
        try BundleJSON.encode(entry, pretty: false)
    }

    /// The log's lines (without newlines). A final line without a newline is still a line.
    static func lines(_ data: Data) -> [Data] {
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The entries of a log, in order.
    /// - Throws: `.bundle` naming the first line that is not a custody entry.
    public static func entries(_ data: Data) throws(EvidenceError) -> [CustodyEntry] {
        var result: [CustodyEntry] = []
        for (index, line) in lines(data).enumerated() {
            guard let entry = try? JSONDecoder().decode(CustodyEntry.self, from: line) else {
                throw EvidenceError(.bundle, "\(BundleLayout.custody): line \(index + 1): not a custody entry (JSON with "
                                    + "sequence, time, action, by, case, reason, hashes, public_key and signature)")
            }
            result.append(entry)
        }
        return result
    }

    /// The first problem in a log, or nil when every line is signed, in sequence and chained to its
    /// predecessor and to `manifestSHA256`, the first line is the export signed by `bundleKey`, and
    /// every hand-off is signed by `bundleKey` or by a key whose fingerprint is in `trustedKeys`
    /// (the ward's `evidence.trusted_keys`): a line re-signed with any other key is refused.
    public static func firstProblem(in data: Data, manifestSHA256: String, bundleKey: EvidencePublicKey,
                                    trustedKeys: Set<String> = []) -> String? {
        let name = BundleLayout.custody
        let lines = lines(data)
        guard !lines.isEmpty else { return "\(name): empty (the export record is missing)" }
        guard data.last == 0x0A else { return "\(name): line \(lines.count): cut short (no final newline)" }
        let entries: [CustodyEntry]
        do { entries = try Self.entries(data) } catch { return error.message }
        var previous: Data?
        for (index, entry) in entries.enumerated() {
            let where_ = "\(name): line \(index + 1)"
            if entry.sequence != index + 1 { return "\(where_): sequence \(entry.sequence), expected \(index + 1)" }
            if entry.previousSHA256 != (previous.map(FileDigest.sha256) ?? CustodyEntry.genesis) {
                return index == 0 ? "\(where_): does not start the chain" : "\(where_): does not follow line \(index) (chain broken)"
            }
            if entry.manifestSHA256 != manifestSHA256 { return "\(where_): belongs to another manifest" }
            guard let raw = Data(base64Encoded: entry.publicKey), let key = try? EvidencePublicKey(rawRepresentation: raw) else {
                return "\(where_): public_key is not an Ed25519 key"
            }
            guard let signature = Data(base64Encoded: entry.signature),
                  key.isValidSignature(signature, for: Data(entry.signedText.utf8)) else {
                return "\(where_): signature does not match"
            }
            if index == 0 {
                if entry.action != .export { return "\(where_): the first entry must be the export" }
                if key != bundleKey { return "\(where_): the export is not signed by the key that signed manifest.json" }
            } else if entry.action != .handoff {
                return "\(where_): only the first entry may be an export"
            } else if key != bundleKey, !trustedKeys.contains(key.fingerprint) {
                return "\(where_): signed by key \(key.fingerprint), which is neither the bundle's key nor one of the "
                    + "trusted keys (evidence.trusted_keys or --trusted-key)"
            }
            previous = lines[index]
        }
        return nil
    }
}
