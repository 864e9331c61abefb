import Access
import Catalog
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The HTTP API: footage search, events, stills, cameras, clips, incidents and tips, behind bearer
/// tokens, with every search, view, still, clip, import and link decision written to the audit trail.
public struct WardWatchAPI: Sendable {
    public let catalog: any CatalogStore
    public let configuration: APIConfiguration
    let auditor: AuditRecorder

    public init(catalog: any CatalogStore, configuration: APIConfiguration) {
        self.catalog = catalog
        self.configuration = configuration
        auditor = AuditRecorder(catalog: catalog)
    }

    /// The OpenAPI document this server implements (kept in the repository as `Sources/HTTPAPI/openapi.yaml`).
    public static var openAPIDocument: String { String(decoding: PackageResources.openapi_yaml, as: UTF8.self) }

    /// The routes, ready for an `Application` (or a test).
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorBodyMiddleware())
        router.get("/api/v1/openapi.yaml") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
        // The search page holds no data and needs no token; what it fetches does.
        router.get("/") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.search_html)))
        }
        let api = router.group("/api/v1").add(middleware: BearerAuthentication(catalog: catalog))
        api.get("/cameras") { request, context in try await self.cameras(request, context) }
        api.get("/events") { request, context in try await self.searchEvents(request, context) }
        api.get("/events/:id") { request, context in try await self.event(request, context) }
        api.get("/events/:id/still.jpg") { request, context in try await self.still(request, context) }
        api.get("/recordings/:id/clip") { request, context in try await self.clip(request, context) }
        api.post("/exports") { request, context in try await self.createExport(request, context) }
        api.get("/exports/:name") { request, context in try await self.downloadExport(request, context) }
        api.get("/incidents") { request, context in try await self.listIncidents(request, context) }
        api.post("/incidents") { request, context in try await self.importReports(.incident, request, context) }
        api.get("/incidents/:id") { request, context in try await self.showIncident(request, context) }
        api.post("/incidents/:id/links/:event/confirm") { request, context in try await self.decideLink(.confirmed, request, context) }
        api.post("/incidents/:id/links/:event/reject") { request, context in try await self.decideLink(.rejected, request, context) }
        api.get("/tips") { request, context in try await self.listTips(request, context) }
        api.post("/tips") { request, context in try await self.importReports(.tip, request, context) }
        return router
    }

    /// A server application on the configured address.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func application(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "WardWatch"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT, then drains open requests and returns.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(logger: logger, onListening: onListening).runService()
    }

    // MARK: - Routes

    func cameras(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let catalog = self.catalog
        let all = try await catalog.cameras()
        let visible = all.filter { Self.inScope($0, of: user) }
        return JSONBody.response(CameraList(cameras: visible))
    }

    func searchEvents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let query = request.uri.queryParameters
        let parameters = try Self.searchParameters(query)
        let format = query.get("format") ?? "json"
        guard format == "json" || format == "geojson" else { throw APIError.badParameter("format", "'\(format)' must be json or geojson") }
        var search: SearchQuery
        do {
            search = try parameters.query(zone: configuration.timeZone, now: Date())
        } catch let error as SearchParameterError {
            throw APIError.badParameter(error.field, error.message)
        }
        let catalog = self.catalog
        if let ward = user.ward {
            search.wardScope = [ward]
            // Asking for another ward, or for a camera of one, is refused rather than silently emptied.
            if let asked = search.ward, PlaceText.foldedWords(asked) != PlaceText.foldedWords(ward),
               !PlaceText.matches(words: PlaceText.foldedWords(asked), in: ward) {
                try await audit(context, user: user, action: "search.denied", request: request, results: nil)
                throw APIError(.forbidden, "this token is limited to ward \(ward)")
            }
            if !search.cameras.isEmpty {
                let known = try await catalog.cameras()
                if known.contains(where: { search.cameras.contains($0.id) && !Self.inScope($0, of: user) }) {
                    try await audit(context, user: user, action: "search.denied", request: request, results: nil)
                    throw APIError(.forbidden, "this token is limited to ward \(ward)")
                }
            }
        }
        let finalSearch = search
        let page: SearchPage
        do {
            page = try await catalog.search(finalSearch)
        } catch let error as CatalogError where error.code == .invalidQuery {
            throw APIError.badParameter("cursor", "does not belong to this search; start again without it")
        }
        try await audit(context, user: user, action: "search", request: request, results: page.hits.count)
        let items = page.hits.map { self.item($0) }
        if format == "geojson" {
            return JSONBody.response(data: SearchGeoJSON(items: items, nextCursor: page.nextCursor).jsonData(),
                                     contentType: "application/geo+json")
        }
        return JSONBody.response(data: SearchResultList(events: items, nextCursor: page.nextCursor).jsonData())
    }

    func event(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let (event, camera, recording) = try await visibleEvent(request, context, user: user, action: "view")
        try await audit(context, user: user, action: "view", request: request, results: 1)
        let hit = SearchHit(event: event, camera: camera, recordingPath: recording.path, distanceMetres: nil)
        return JSONBody.response(EventDetail(event: item(hit), recording: RecordingItem(recording)))
    }

    func still(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let (event, _, _) = try await visibleEvent(request, context, user: user, action: "still")
        guard let name = event.still else { throw APIError(.notFound, "event \(event.id) has no still") }
        let path = (configuration.stillsDirectory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APIError(.notFound, "the still of event \(event.id) is missing from the stills folder")
        }
        try await audit(context, user: user, action: "still", request: request, results: 1)
        var headers = HTTPFields()
        headers[.contentType] = "image/jpeg"
        headers[.cacheControl] = "private, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    // MARK: - Helpers

    /// The event named in the path, when it exists and the user's ward scope includes its camera.
    func visibleEvent(_ request: Request, _ context: APIRequestContext, user: User, action: String) async throws
        -> (MotionEvent, Camera, Recording)
    {
        let id = try Self.pathID(context)
        let catalog = self.catalog
        guard let event = try await catalog.event(id: id),
              let recording = try await catalog.recording(id: event.recordingID) else { throw APIError(.notFound, "no event \(id)") }
        let camera = try await catalog.cameras().first { $0.id == event.camera }
        let place = camera ?? Camera(id: event.camera)
        guard Self.inScope(place, of: user) else {
            try await audit(context, user: user, action: action + ".denied", request: request, results: nil)
            throw APIError(.forbidden, "event \(id) is outside this token's ward")
        }
        return (event, place, recording)
    }

    /// Appends to the audit trail before the response leaves, so that no answered request goes unrecorded.
    func audit(_ context: APIRequestContext, user: User, action: String, request: Request, results: Int?) async throws {
        let entry = NewAuditEntry(actor: user.name, action: action, query: request.uri.description, resultCount: results,
                                  client: context.clientAddress)
        try await auditor.record(entry)
    }

    func item(_ hit: SearchHit) -> SearchResultItem {
        let event = hit.event
        let clipFrom = max(0, event.offsetSeconds - event.start.timeIntervalSince(event.clipStart))
        let clipTo = event.offsetSeconds + event.clipEnd.timeIntervalSince(event.start)
        return SearchResultItem(
            hit, zone: configuration.timeZone, still: event.still == nil ? nil : "/api/v1/events/\(event.id)/still.jpg",
            recordingPath: nil,
            clipURL: "/api/v1/recordings/\(event.recordingID)/clip?from=\(Self.seconds(clipFrom))&to=\(Self.seconds(clipTo))")
    }

    /// Seconds with three decimals ("12.500"), without `String(format:)`, which is slow on Linux and
    /// runs twice for every search result.
    static func seconds(_ value: Double) -> String {
        let millis = Int64(millisecondsOf: value)
        let whole = String(abs(millis) / 1000), fraction = String(abs(millis) % 1000)
        return (millis < 0 ? "-" : "") + whole + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    static func inScope(_ camera: Camera, of user: User) -> Bool {
        guard let ward = user.ward else { return true }
        var scope = SearchQuery()
        scope.wardScope = [ward]
        return scope.admits(camera)
    }

    static func pathID(_ context: APIRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.badParameter("id", "'\(context.parameters.get("id") ?? "")' is not an event or recording id (a positive integer)")
        }
        return id
    }

    static let searchParameterNames: Set<String> = [
        "camera", "ward", "street", "near", "radius", "bbox", "from", "to", "last", "min_score", "min_duration",
        "min_area", "sort", "limit", "cursor", "format",
    ]

    /// Search parameters from a URL query; unknown names and malformed numbers are 400s naming them.
    static func searchParameters(_ query: Parameters) throws -> SearchParameters {
        for (key, _) in query where !searchParameterNames.contains(String(key)) {
            throw APIError.badParameter(String(key), "is not a search parameter (see /api/v1/openapi.yaml)")
        }
        func text(_ name: String) -> String? { query.get(name) }
        func number(_ name: String) throws -> Double? {
            guard let value = text(name) else { return nil }
            guard let number = Double(value), number.isFinite else { throw APIError.badParameter(name, "'\(value)' is not a number") }
            return number
        }
        var parameters = SearchParameters()
        parameters.cameras = query.getAll("camera").flatMap { $0.split(separator: ",").map(String.init) }
        parameters.ward = text("ward")
        parameters.street = text("street")
        parameters.near = text("near")
        if let radius = try number("radius") { parameters.radius = radius }
        parameters.bbox = text("bbox")
        parameters.from = text("from")
        parameters.to = text("to")
        parameters.last = text("last")
        parameters.minScore = try number("min_score")
        parameters.minDuration = try number("min_duration")
        parameters.minArea = try number("min_area")
        if let sort = text("sort") { parameters.sort = sort }
        if let limit = text("limit") {
            guard let value = Int(limit) else { throw APIError.badParameter("limit", "'\(limit)' is not a whole number") }
            parameters.limit = value
        }
        parameters.cursor = text("cursor")
        return parameters
    }
}

// MARK: - Response bodies

struct CameraList: Encodable {
    var cameras: [Camera]
}

struct RecordingItem: Encodable {
    var id: Int64
    var camera: String
    var start: String
    var end: String
    var duration_s: Double
    var codec: String
    var width: Int
    var height: Int

    init(_ recording: Recording) {
        id = recording.id
        camera = recording.camera
        start = Timestamp.format(recording.start)
        end = Timestamp.format(recording.end)
        duration_s = (recording.durationSeconds * 1000).rounded() / 1000
        codec = recording.codec
        width = recording.width
        height = recording.height
    }
}

struct EventDetail: Encodable {
    var event: SearchResultItem
    var recording: RecordingItem
}
