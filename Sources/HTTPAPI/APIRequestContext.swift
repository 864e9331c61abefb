import Catalog
import Hummingbird
import NIOCore

/// What the API knows about a request besides the request itself: who sent it and from where.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for the audit trail.
    public let clientAddress: String
    /// The token's holder, once `BearerAuthentication` has checked it.
    public var user: User?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The authenticated user; only routes behind `BearerAuthentication` call this.
    func requireUser() throws -> User {
        guard let user else { throw APIError(.unauthorized, "an Authorization: Bearer token is required") }
        return user
    }
}
