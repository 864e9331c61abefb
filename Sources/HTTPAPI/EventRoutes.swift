import Catalog
import Foundation
import Hummingbird
import NIOCore
import Workflows

/// `GET /api/v1/events` (search, JSON or GeoJSON), `GET /api/v1/events/{id}` and
/// `GET /api/v1/events/{id}/still.jpg`. Viewers and up, within their ward; audited by the workflows.
struct EventRoutes {
    let workflows: WardWorkflows
    var zone: TimeZone { workflows.settings.timeZone }

    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.requiring(.search, workflows).get { request, context in try await search(request, context) }
        routes.requiring(.viewEvent, workflows).get(":id") { _, context in try await event(context) }
        routes.requiring(.viewStill, workflows).get(":id/still.jpg") { _, context in try await still(context) }
        return routes
    }

    func search(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let format = query.get("format") ?? "json"
        guard format == "json" || format == "geojson" else { throw APIError.badParameter("format", "'\(format)' must be json or geojson") }
        let search: SearchQuery
        do {
            search = try Self.searchParameters(query).query(zone: zone, now: Date())
        } catch let error as SearchParameterError {
            throw APIError.badParameter(error.field, error.message)
        }
        let page = try await workflows.search(search, for: try context.requireRequester())
        let items = page.hits.map { item($0) }
        if format == "geojson" {
            return JSONBody.response(data: SearchGeoJSON(items: items, nextCursor: page.nextCursor).jsonData(),
                                     contentType: "application/geo+json")
        }
        return JSONBody.response(data: SearchResultList(events: items, nextCursor: page.nextCursor).jsonData())
    }

    func event(_ context: APIRequestContext) async throws -> Response {
        let view = try await workflows.event(id: try pathID(context), for: try context.requireRequester())
        let hit = SearchHit(event: view.event, camera: view.camera, recordingPath: view.recording.path, distanceMetres: nil)
        return JSONBody.response(EventDetail(event: item(hit), recording: RecordingItem(view.recording)))
    }

    func still(_ context: APIRequestContext) async throws -> Response {
        let data = try await workflows.still(eventID: try pathID(context), for: try context.requireRequester())
        var headers = HTTPFields()
        headers[.contentType] = "image/jpeg"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    func item(_ hit: SearchHit) -> SearchResultItem {
        let event = hit.event
        let clipFrom = max(0, event.offsetSeconds - event.start.timeIntervalSince(event.clipStart))
        let clipTo = event.offsetSeconds + event.clipEnd.timeIntervalSince(event.start)
        return SearchResultItem(
            hit, zone: zone, still: event.still == nil ? nil : "/api/v1/events/\(event.id)/still.jpg",
            recordingPath: nil,
            clipURL: "/api/v1/recordings/\(event.recordingID)/clip?from=\(WardWorkflows.seconds(clipFrom))&to=\(WardWorkflows.seconds(clipTo))")
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
