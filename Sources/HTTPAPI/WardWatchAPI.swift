import Catalog
import Foundation
import Hummingbird
import Logging
import NIOCore
import Workflows

/// The HTTP API: footage search, events, stills, cameras, clips, exports, incidents and tips, behind
/// bearer tokens. Each resource is one route collection; who may do what is the workflows' access
/// policy, asked by each collection's role middleware and again by the workflow for the camera or
/// report at hand, which also writes the audit trail. Handlers parse, call and format.
public struct WardWatchAPI: Sendable {
    public let workflows: WardWorkflows
    public let configuration: APIConfiguration

    public init(workflows: WardWorkflows, configuration: APIConfiguration) {
        self.workflows = workflows
        self.configuration = configuration
    }

    /// The OpenAPI document this server implements (kept in the repository as `Sources/HTTPAPI/openapi.yaml`).
    public static var openAPIDocument: String { String(decoding: PackageResources.openapi_yaml, as: UTF8.self) }

    /// The routes, ready for an `Application` (or a test).
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ResponseHeadersMiddleware())
        router.add(middleware: ForwardedClientMiddleware(trusted: configuration.trustedProxies))
        router.add(middleware: ErrorBodyMiddleware())
        router.addRoutes(DocumentRoutes().routes)
        addConsolePages(to: router)
        // What the OpenAPI document says each operation takes is checked before the route runs, and
        // after authentication, so that no one without a token makes the server read a body.
        let documented = DocumentedRequestCheck(rules: .shared)
        let open = router.group().add(middleware: documented)
        open.post("/api/v1/session") { request, context in try await self.signIn(request, context) }
        open.get("/api/v1/session") { request, context in try await self.currentSession(request, context) }
        let api = router.group("/api/v1").add(middleware: TokenOrSessionAuthentication(workflows: workflows))
            .add(middleware: documented)
        api.addRoutes(CameraRoutes(workflows: workflows).routes, atPath: "/cameras")
        api.addRoutes(EventRoutes(workflows: workflows).routes, atPath: "/events")
        api.addRoutes(RecordingRoutes(workflows: workflows).routes, atPath: "/recordings")
        api.addRoutes(ExportRoutes(workflows: workflows).routes, atPath: "/exports")
        api.addRoutes(IncidentRoutes(workflows: workflows).routes, atPath: "/incidents")
        api.addRoutes(TipRoutes(workflows: workflows).routes, atPath: "/tips")
        addConsoleRoutes(to: api)
        return router
    }

    /// A server application on the configured address.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func application(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ParserErrorBody()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "WardWatch"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT, then drains open requests and returns.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(logger: logger, onListening: onListening).runService()
    }
}

/// The OpenAPI document: no data, no token (the console page is in `ConsolePages.swift`).
struct DocumentRoutes {
    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get("/api/v1/openapi.yaml") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
        return routes
    }
}

/// `GET /api/v1/cameras`: the cameras the token may see.
struct CameraRoutes {
    let workflows: WardWorkflows

    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.requiring(.listCameras, workflows).get { _, context in
            JSONBody.response(CameraList(cameras: try await workflows.cameras(for: try context.requireRequester())))
        }
        return routes
    }
}

// MARK: - Shared parsing

/// A positive id from the path.
func pathID(_ context: APIRequestContext, _ name: String = "id", what: String = "an event or recording id") throws -> Int64 {
    guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
        throw APIError.badParameter(name, "'\(context.parameters.get(name) ?? "")' is not \(what) (a positive integer)")
    }
    return id
}

// MARK: - Response bodies

struct CameraList: Encodable {
    var cameras: [Camera]
}
