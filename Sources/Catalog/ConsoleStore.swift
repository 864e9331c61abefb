import Foundation

/// A signed-in browser: the token was exchanged once for this session, and the page holds only an
/// HttpOnly cookie. Only hashes of the session id are stored.
public struct ConsoleSession: Sendable, Equatable {
    /// The holder, as of now (a revoked user has no session).
    public var user: User
    /// The per-session secret that writes must echo in a header (cross-site request protection).
    public var csrfToken: String
    public var created: Date
    public var expires: Date

    public init(user: User, csrfToken: String, created: Date, expires: Date) {
        self.user = user
        self.csrfToken = csrfToken
        self.created = created
        self.expires = expires
    }
}

/// Browser sessions of the console, shared by every `serve` process over the same catalog.
public protocol SessionStore: Sendable {
    /// Stores a session for an active user; fails when the user does not exist or is revoked.
    func createSession(idHash: String, userName: String, csrfToken: String, created: Date, expires: Date) async throws

    /// The session with this id hash, when it has not expired and its user is not revoked.
    func session(idHash: String, at time: Date) async throws -> ConsoleSession?

    /// Ends a session (sign-out); returns false when there was none.
    @discardableResult
    func deleteSession(idHash: String) async throws -> Bool

    /// Removes sessions that expired before `time`; returns how many.
    @discardableResult
    func deleteExpiredSessions(before time: Date) async throws -> Int
}

/// One person's review of one event: seen or not, and a note.
public struct EventReview: Sendable, Equatable {
    public var eventID: Int64
    public var user: String
    public var reviewed: Bool
    public var note: String
    public var updated: Date

    public init(eventID: Int64, user: String, reviewed: Bool, note: String, updated: Date) {
        self.eventID = eventID
        self.user = user
        self.reviewed = reviewed
        self.note = note
        self.updated = updated
    }
}

/// Per-user review state of events.
public protocol ReviewStore: Sendable {
    /// Sets (replaces) a user's review of an event.
    func saveReview(_ review: EventReview) async throws

    /// A user's reviews of the given events (events never reviewed are absent).
    func reviews(user: String, eventIDs: [Int64]) async throws -> [EventReview]
}
