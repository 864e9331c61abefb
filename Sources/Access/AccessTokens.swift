import Catalog
import Crypto
import Foundation

/// Bearer tokens: random, shown once, stored only as a SHA-256 hash.
public enum AccessTokens {
    /// A new token: "ww_" and 43 characters of base64url (256 random bits).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "ww_" + text
    }

    /// The hash stored for a token (hex SHA-256).
    public static func hash(_ token: String) -> String { sha256Hex(token) }
}

/// SHA-256 of a UTF-8 text, as 64 lower-case hex digits.
public func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}

/// Checks an audit trail's hash chain.
public enum AuditChain {
    /// The first problem in `entries` (in storage order), or nil when the chain is intact: a
    /// missing entry (sequence gap), an entry out of order, an edited entry (its hash no longer
    /// matches), or a broken link to the previous entry.
    public static func firstProblem(in entries: [AuditEntry]) -> String? {
        var previousHash = AuditEntry.genesis
        var expected: Int64 = 1
        for entry in entries {
            if entry.sequence != expected {
                return entry.sequence > expected
                    ? "entry \(expected): missing (the next entry is \(entry.sequence))"
                    : "entry \(entry.sequence): out of order (expected \(expected))"
            }
            if entry.previousHash != previousHash {
                return "entry \(entry.sequence): does not follow entry \(expected - 1) (chain broken)"
            }
            if sha256Hex(entry.chainText) != entry.hash {
                return "entry \(entry.sequence): edited (its content no longer matches its hash)"
            }
            previousHash = entry.hash
            expected += 1
        }
        return nil
    }
}
