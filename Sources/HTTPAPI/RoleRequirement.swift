import Catalog
import Hummingbird

/// Guards a group of routes with a least role: others get a 403, and the refusal is audited as
/// `<action>.denied` so that probing shows up in the trail.
struct RoleRequirement: RouterMiddleware {
    typealias Context = APIRequestContext
    let role: AccessRole
    let action: String
    let auditor: AuditRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let user = try context.requireUser()
        guard user.role >= role else {
            try await auditor.record(NewAuditEntry(actor: user.name, action: action + ".denied", query: request.uri.description,
                                                   resultCount: nil, client: context.clientAddress))
            throw APIError(.forbidden, "this needs the \(role.rawValue) role; this token is a \(user.role.rawValue)")
        }
        return try await next(request, context)
    }
}
