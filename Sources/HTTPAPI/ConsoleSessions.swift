import Access
import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Workflows

/// The console's sign-in: a bearer token is exchanged once for a server-side session held in an
/// HttpOnly, SameSite=Strict cookie. The page never keeps the token; writes made with the cookie
/// must echo the session's CSRF secret in `X-CSRF-Token` and come from the server's own origin.
enum ConsoleSessionCookie {
    static let name = "ww_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
}

/// Checks either a bearer token (scripts, the CLI's peers) or a console session cookie (browsers),
/// and puts the holder in the context.
struct TokenOrSessionAuthentication: RouterMiddleware {
    typealias Context = APIRequestContext
    let workflows: WardWorkflows

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.headers[.authorization] != nil {
            return try await BearerAuthentication(workflows: workflows).handle(request, context: context, next: next)
        }
        let sessions: any SessionStore = workflows.store
        guard let cookie = request.cookies[ConsoleSessionCookie.name]?.value, !cookie.isEmpty else {
            throw APIError(.unauthorized, "an Authorization: Bearer token or a console session is required")
        }
        let hash = AccessTokens.hash(cookie)
        guard let session = try await sessions.session(idHash: hash, at: Date()) else {
            throw APIError(.unauthorized, "the session has ended or its user was revoked; sign in again")
        }
        if ![.get, .head].contains(request.method) {
            try Self.checkSameOrigin(request)
            guard let echoed = request.headers[ConsoleSessionCookie.csrfHeader], Self.equalInConstantTime(echoed, session.csrfToken) else {
                throw APIError(.forbidden, "a write with a session needs the X-CSRF-Token header of that session")
            }
        }
        var context = context
        context.requester = Requester(user: session.user, client: context.clientAddress, request: request.uri.description)
        context.logger[metadataKey: "user"] = "\(session.user.name)"
        return try await next(request, context)
    }

    /// A browser names the page's origin on cross-site writes; it must be this server.
    static func checkSameOrigin(_ request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
            throw APIError(.forbidden, "cross-site writes are refused (Sec-Fetch-Site: \(site))")
        }
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? ""
        guard origin == "http://\(host)" || origin == "https://\(host)" else {
            throw APIError(.forbidden, "cross-site writes are refused (Origin \(origin) is not this server)")
        }
    }

    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

extension WardWatchAPI {
    var sessions: (any SessionStore)? { workflows.store }

    /// `POST /api/v1/session`: `{"token": "ww_…"}` → a session cookie and the user, with the CSRF
    /// secret for writes. Audited.
    func signIn(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let sessions else { throw APIError(.unavailable, "this catalog keeps no console sessions") }
        try TokenOrSessionAuthentication.checkSameOrigin(request)
        let body = try await request.body.collect(upTo: 4096)
        struct SignIn: Decodable { var token: String }
        guard let asked = try? JSONDecoder().decode(SignIn.self, from: Data(buffer: body)) else {
            throw APIError.badParameter("token", "is required: a JSON object {\"token\": \"ww_…\"}")
        }
        guard let user = try await workflows.user(token: asked.token.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            context.logger.notice("rejected sign-in", metadata: ["client.address": "\(context.clientAddress)"])
            throw APIError(.unauthorized, "the token is unknown or revoked")
        }
        let id = AccessTokens.generate(), csrf = AccessTokens.generate()
        let now = Date(), lifetime = configuration.sessionLifetimeSeconds
        let expires = now.addingTimeInterval(lifetime)
        try await sessions.deleteExpiredSessions(before: now)
        try await sessions.createSession(idHash: AccessTokens.hash(id), userName: user.name, csrfToken: csrf, created: now, expires: expires)
        try await workflows.audit.record(Requester(user: user, client: context.clientAddress, request: request.uri.description),
                                         "session.start", results: nil)
        var response = JSONBody.response(SessionReply(user, csrf: csrf, expires: expires, configuration: configuration,
                                                      zone: workflows.settings.timeZone))
        response.setCookie(Cookie(name: ConsoleSessionCookie.name, value: id, maxAge: Int(lifetime), path: "/",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// `GET /api/v1/session`: who is signed in, and the CSRF secret (held in page memory only);
    /// `{"signed_in": false}` without a live session (a 200, so that a fresh page logs no error).
    func currentSession(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var session: ConsoleSession?
        if let sessions, let cookie = request.cookies[ConsoleSessionCookie.name]?.value {
            session = try await sessions.session(idHash: AccessTokens.hash(cookie), at: Date())
        }
        guard let session else { return JSONBody.response(SignedOut()) }
        return JSONBody.response(SessionReply(session.user, csrf: session.csrfToken, expires: session.expires,
                                              configuration: configuration, zone: workflows.settings.timeZone))
    }

    /// `DELETE /api/v1/session`: signs out (the cookie is cleared and the session deleted). Audited.
    func signOut(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requireRequester()
        if let sessions, let cookie = request.cookies[ConsoleSessionCookie.name]?.value {
            let hash = AccessTokens.hash(cookie)
            try await sessions.deleteSession(idHash: hash)
        }
        try await workflows.audit.record(requester, "session.end", results: nil)
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: ConsoleSessionCookie.name, value: "", maxAge: 0, path: "/",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}

struct SignedOut: Encodable {
    var signed_in = false
}

struct SessionReply: Encodable {
    var signed_in = true
    var user: String
    var role: String
    var ward: String?
    var csrf_token: String
    var expires: String
    var tile_url: String?

    init(_ user: User, csrf: String, expires: Date, configuration: APIConfiguration, zone: TimeZone) {
        self.user = user.name
        role = user.role.rawValue
        ward = user.ward
        csrf_token = csrf
        self.expires = Timestamp.format(expires, in: zone)
        tile_url = configuration.console.tileURL
    }
}
