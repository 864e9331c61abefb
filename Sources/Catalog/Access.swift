import Foundation

/// What a token may do. Each role includes the ones before it.
public enum AccessRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Search, view events and stills.
    case viewer
    /// Also play and export clips, see reporter contacts.
    case investigator
    /// Also manage users and read the audit log.
    case admin

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A person or system holding an access token. Only the token's hash is ever stored.
public struct User: Sendable, Equatable {
    public var name: String
    public var role: AccessRole
    /// The ward this user is limited to; nil = every ward.
    public var ward: String?
    public var created: Date
    public var revoked: Date?

    public init(name: String, role: AccessRole, ward: String?, created: Date, revoked: Date?) {
        self.name = name
        self.role = role
        self.ward = ward
        self.created = created
        self.revoked = revoked
    }
}

/// One line of the audit trail: who did what, when, and how many results it returned.
///
/// Entries are chained: each stores the hash of the previous one and its own hash over
/// `chainText`, so removing, editing or reordering any entry breaks the chain from there on.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var time: Date
    public var actor: String
    /// "search", "view", "still", "clip", "export", "users.add", …
    public var action: String
    /// The request, as the caller gave it (a query string or JSON).
    public var query: String
    public var resultCount: Int?
    /// Client address, or "cli".
    public var client: String
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, time: Date, actor: String, action: String, query: String, resultCount: Int?,
                client: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.query = query
        self.resultCount = resultCount
        self.client = client
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The exact text the entry's hash covers: every field but the hash, and the previous hash.
    public var chainText: String {
        [String(sequence), String(Int64(millisecondsSince1970: time)), actor, action, query,
         resultCount.map(String.init) ?? "-", client, previousHash]
            .map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }
            .joined(separator: "|")
    }

    /// The chain's starting point (hash of nothing).
    public static let genesis = String(repeating: "0", count: 64)
}

/// An audit record before it is chained.
public struct NewAuditEntry: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var query: String
    public var resultCount: Int?
    public var client: String

    public init(actor: String, action: String, query: String, resultCount: Int?, client: String) {
        self.actor = actor
        self.action = action
        self.query = query
        self.resultCount = resultCount
        self.client = client
    }
}
