import Catalog
import Foundation
import SystemIO

extension AuditCheckpoint {
    /// A checkpoint of a trail that holds `entries` entries ending with `lastHash`, signed with `key`.
    public static func signed(entries: Int64, lastHash: String, at time: Date, reason: String,
                              key: EvidenceSigningKey) throws(EvidenceError) -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(time: Timestamp.format(time), reason: reason, entries: entries, lastHash: lastHash,
                                         signer: key.publicKey.base64, signature: "")
        checkpoint.signature = try key.signature(for: Data(checkpoint.signedText.utf8)).base64EncodedString()
        return checkpoint
    }

    /// The signer's key, when the signature is that key's over this checkpoint; nil otherwise.
    public var verifiedSigner: EvidencePublicKey? {
        guard let raw = Data(base64Encoded: signer), let key = try? EvidencePublicKey(rawRepresentation: raw),
              let signature = Data(base64Encoded: signature),
              key.isValidSignature(signature, for: Data(signedText.utf8)) else { return nil }
        return key
    }
}

/// The anchor file: one signed checkpoint of the audit trail per line (JSON), appended and synced. An alert
/// log can be read as one too: its `audit.checkpoint` lines carry the same object under "checkpoint".
public enum AuditAnchor {
    /// Appends a checkpoint as one line, synced before returning.
    public static func append(_ checkpoint: AuditCheckpoint, to path: String) throws(EvidenceError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(checkpoint) else { throw EvidenceError(.io, "cannot encode the audit checkpoint") }
        do { try DurableFile.write(Array(data) + [0x0A], to: path, mode: .append, permissions: 0o644) } catch {
            throw EvidenceError(.io, "cannot append the audit checkpoint to '\(path)'", cause: error.reason)
        }
    }

    /// Every checkpoint in the file with its line number. Lines that are not checkpoints (other alert lines) are
    /// skipped; a line that claims to be a checkpoint but cannot be read is an error naming its line.
    public static func read(_ path: String) throws(EvidenceError) -> [(line: Int, checkpoint: AuditCheckpoint)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvidenceError(.io, "cannot read anchor file '\(path)'",
                                cause: FileManager.default.fileExists(atPath: path) ? "permission denied" : "file not found")
        }
        var result: [(Int, AuditCheckpoint)] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            let body: Any
            if let nested = object["checkpoint"] as? [String: Any] {
                body = nested
            } else if object["format"] as? String == AuditCheckpoint.formatName {
                body = object
            } else {
                continue
            }
            guard let bytes = try? JSONSerialization.data(withJSONObject: body),
                  let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: bytes) else {
                throw EvidenceError(.bundle, "\(path):\(index + 1): an audit checkpoint with missing or malformed fields")
            }
            result.append((index + 1, checkpoint))
        }
        return result
    }

    /// The first reason the trail does not extend the checkpoints in `path`, or nil when it extends them all.
    /// - Parameter trusted: fingerprints of keys allowed to sign checkpoints (the ward's); empty accepts any
    ///   valid signature (the report then says which key signed).
    public static func problem(anchor path: String, trail: [AuditEntry], trusted: Set<String>) throws(EvidenceError)
        -> (problem: String?, checkpoints: Int, signers: Set<String>) {
        let checkpoints = try read(path)
        var signers = Set<String>()
        for (line, checkpoint) in checkpoints {
            guard let key = checkpoint.verifiedSigner else {
                return ("\(path):\(line): the checkpoint's signature does not verify (edited or forged)", checkpoints.count, signers)
            }
            if !trusted.isEmpty, !trusted.contains(key.fingerprint) {
                return ("\(path):\(line): the checkpoint is signed by key \(key.fingerprint), not the ward's", checkpoints.count, signers)
            }
            signers.insert(key.fingerprint)
            if let problem = checkpoint.problem(with: trail) { return ("\(path):\(line): \(problem)", checkpoints.count, signers) }
        }
        return (nil, checkpoints.count, signers)
    }
}
