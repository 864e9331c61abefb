import Catalog
import Hummingbird
import NIOCore
import Workflows

/// What the API knows about a request besides the request itself: who sent it and from where.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for the audit trail: the socket's peer, or the address a trusted
    /// proxy forwarded (`ForwardedClientMiddleware`).
    public internal(set) var clientAddress: String
    /// The token's holder as the workflows see them, once `BearerAuthentication` has checked the token.
    public var requester: Requester?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The authenticated requester; only routes behind `BearerAuthentication` call this.
    public func requireRequester() throws -> Requester {
        guard let requester else { throw APIError(.unauthorized, "an Authorization: Bearer token is required") }
        return requester
    }
}
