import Access
import Catalog
import Hummingbird
import Logging

/// Turns every failure into a JSON error body: our own `APIError`s as they are, Hummingbird's
/// (unknown route, bad method) with their status, and anything else as a 500 whose cause goes to the
/// server log only, so that no SQL or stack trace ever reaches a client.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPResponseError {
            switch error.status {
            case .notFound: throw APIError(.notFound, "no such resource: \(request.uri.path)")
            case .methodNotAllowed: throw APIError(.badRequest, "method \(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: throw APIError(.badRequest, "request body too large")
            default:
                context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
                throw APIError(.internal, "the server could not answer; the cause is in its log")
            }
        } catch {
            context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internal, "the server could not answer; the cause is in its log")
        }
    }
}

/// Checks the bearer token of every request it guards and puts its holder in the context.
///
/// Only the token's SHA-256 is looked up; revoked tokens are not found. Failures are 401 with a
/// `WWW-Authenticate` challenge, and are logged with the client address (not audited: there is no
/// one to attribute them to).
struct BearerAuthentication: RouterMiddleware {
    typealias Context = APIRequestContext
    let catalog: any UserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "an Authorization: Bearer token is required")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "the Authorization header must be 'Bearer <token>'")
        }
        let hash = AccessTokens.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))
        let catalog = self.catalog
        guard let user = try await catalog.user(tokenHash: hash) else {
            context.logger.notice("rejected token", metadata: ["client.address": "\(context.clientAddress)", "http.path": "\(request.uri.path)"])
            throw APIError(.unauthorized, "the token is unknown or revoked")
        }
        var context = context
        context.user = user
        context.logger[metadataKey: "user"] = "\(user.name)"
        return try await next(request, context)
    }
}
