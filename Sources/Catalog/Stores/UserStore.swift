import Foundation

/// API users; only the hash of each token is stored.
public protocol UserStore: Sendable {
    /// Adds a user with the hash of their token.
    /// - Throws: `CatalogError` with code `.constraint` when the name exists (revoked or not).
    func addUser(_ user: User, tokenHash: String) async throws

    /// Every user, revoked ones included, by name.
    func users() async throws -> [User]

    /// Revokes a user's token; returns false when there is no such active user.
    func revokeUser(name: String) async throws -> Bool

    /// The active (not revoked) user holding the token with this hash.
    func user(tokenHash: String) async throws -> User?
}
