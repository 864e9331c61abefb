import Catalog
import Hummingbird
import Logging
import Workflows

/// Turns every failure into a JSON error body: our own `APIError`s as they are, workflow errors by
/// their code, Hummingbird's (unknown route, wrong method, body too large, any other 4xx) with their
/// status, and anything else as a 500 whose cause goes to the server log only, so that no SQL or
/// stack trace ever reaches a client.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as WorkflowError {
            if error.code == .failed {
                context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            }
            throw APIError(error)
        } catch let error as HTTPResponseError {
            throw Self.answer(error.status, request, context)
        } catch {
            context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internal, "the server could not answer; the cause is in its log")
        }
    }

    /// The JSON answer to a status Hummingbird raised.
    static func answer(_ status: HTTPResponse.Status, _ request: Request, _ context: Context) -> APIError {
        switch status {
        case .notFound:
            // No route for this method: a 405 naming the methods the path has, when it has any.
            let allowed = OpenAPIRules.shared.methods(at: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else {
                return APIError(.notFound, "no such resource: \(request.uri.path)")
            }
            var error = APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))")
            error.headers[.allow] = allowed.joined(separator: ", ")
            return error
        case .contentTooLarge: return APIError(.tooLarge, "the request body is larger than \(request.uri.path) takes")
        case .badRequest: return APIError(.badRequest, "the request is malformed")
        case .unauthorized: return APIError(.unauthorized, "an Authorization: Bearer token is required")
        case .forbidden: return APIError(.forbidden, "this request is not allowed")
        case .methodNotAllowed: return APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path)")
        default:
            if status.kind == .clientError { return APIError.client(status, status.reasonPhrase) }
            context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "http.status": "\(status.code)"])
            return APIError(.internal, "the server could not answer; the cause is in its log")
        }
    }
}

/// Checks the bearer token of every request it guards and puts its holder in the context.
///
/// Revoked tokens are not found. Failures are 401 with a `WWW-Authenticate` challenge, and are
/// logged with the client address (not audited: there is no one to attribute them to).
struct BearerAuthentication: RouterMiddleware {
    typealias Context = APIRequestContext
    let workflows: WardWorkflows

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "an Authorization: Bearer token is required")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "the Authorization header must be 'Bearer <token>'")
        }
        guard let user = try await workflows.user(token: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            context.logger.notice("rejected token", metadata: ["client.address": "\(context.clientAddress)", "http.path": "\(request.uri.path)"])
            throw APIError(.unauthorized, "the token is unknown or revoked")
        }
        var context = context
        context.requester = Requester(user: user, client: context.clientAddress, request: request.uri.description)
        context.logger[metadataKey: "user"] = "\(user.name)"
        return try await next(request, context)
    }
}

/// The role middleware of a route collection: asks the access policy whether the requester may do
/// `action` at all, and refuses (recorded in the audit trail) before the route runs. Which camera or
/// report the action touches is decided again, by the same policy, inside the workflow.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let workflows: WardWorkflows
    let action: AccessAction

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await workflows.authorize(try context.requireRequester(), action)
        return try await next(request, context)
    }
}

extension APIError {
    /// The answer to a workflow's error.
    init(_ error: WorkflowError) {
        switch error.code {
        case .denied: self.init(.forbidden, error.message)
        case .notFound: self.init(.notFound, error.message)
        case .invalid: self.init(.badRequest, error.message, field: error.field)
        case .unavailable: self.init(.unavailable, error.message)
        case .conflict: self.init(.conflict, error.message)
        case .busy:
            self.init(.busy, error.message)
            headers[.retryAfter] = String(error.retryAfterSeconds ?? 5)
        case .failed: self.init(.internal, error.message + "; the cause is in the server log")
        }
    }
}

extension RouterMethods where Context == APIRequestContext {
    /// Routes added to the returned group run only when the access policy lets the requester do
    /// `action` (see `AccessMiddleware`).
    func requiring(_ action: AccessAction, _ workflows: WardWorkflows) -> RouterGroup<Context> {
        group().add(middleware: AccessMiddleware(workflows: workflows, action: action))
    }
}
