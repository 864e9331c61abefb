import Catalog
import Foundation
import Hummingbird
import Linking
import NIOCore
import Workflows

/// `/api/v1/incidents`: list and show (viewers and up, within their ward; reporter contacts only for
/// investigators), import (unlimited investigators), and confirm or reject a suggested link
/// (investigators). Audited by the workflows.
struct IncidentRoutes {
    let workflows: WardWorkflows
    var zone: TimeZone { workflows.settings.timeZone }

    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.requiring(.listIncidents, workflows).get { request, context in try await list(request, context) }
        routes.requiring(.importReports, workflows).post { request, context in try await importReports(.incident, workflows, request, context) }
        routes.requiring(.viewIncident, workflows).get(":id") { _, context in try await show(context) }
        routes.requiring(.confirmLink, workflows).post(":id/links/:event/confirm") { _, context in try await decide(.confirmed, context) }
        routes.requiring(.rejectLink, workflows).post(":id/links/:event/reject") { _, context in try await decide(.rejected, context) }
        return routes
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = try reportFilter(query, extra: ["status", "category"], zone: zone)
        if let status = query.get("status") {
            guard let value = IncidentStatus(rawValue: status) else { throw APIError.badParameter("status", "'\(status)' must be open or closed") }
            filter.status = value
        }
        filter.category = query.get("category")
        let incidents = try await workflows.incidents(matching: filter, for: try context.requireRequester())
        return JSONBody.response(IncidentList(incidents: incidents.map { IncidentItem($0, zone: zone) }))
    }

    func show(_ context: APIRequestContext) async throws -> Response {
        let file = try await workflows.incident(.id(try pathID(context, what: "an incident id")), contacts: .ifAllowed,
                                                for: try context.requireRequester())
        return JSONBody.response(IncidentDetail(
            incident: IncidentItem(file.incident, zone: zone),
            links: file.links.map { linkItem($0, zone: zone) },
            tips: file.tips.map { TipItem($0, zone: zone, showContact: file.contactsShown) }))
    }

    func decide(_ state: LinkState, _ context: APIRequestContext) async throws -> Response {
        let incident = try pathID(context, what: "an incident id")
        let event = try pathID(context, "event", what: "an event id")
        let (_, decided) = try await workflows.decideLink(state, incident: .id(incident), eventID: event,
                                                          by: try context.requireRequester())
        return JSONBody.response(linkItem(decided, zone: zone))
    }
}

/// `/api/v1/tips`: list (viewers and up, within their ward; reporter contacts only for investigators)
/// and import (unlimited investigators). Audited by the workflows.
struct TipRoutes {
    let workflows: WardWorkflows
    var zone: TimeZone { workflows.settings.timeZone }

    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.requiring(.listTips, workflows).get { request, context in try await list(request, context) }
        routes.requiring(.importReports, workflows).post { request, context in try await importReports(.tip, workflows, request, context) }
        return routes
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = try reportFilter(query, extra: ["channel", "incident"], zone: zone)
        filter.channel = query.get("channel")
        filter.incidentReference = query.get("incident")
        let (tips, shown) = try await workflows.tips(matching: filter, contacts: .ifAllowed, for: try context.requireRequester())
        return JSONBody.response(TipList(tips: tips.map { TipItem($0, zone: zone, showContact: shown) }))
    }
}

// MARK: - Shared

/// `POST /api/v1/incidents` and `/api/v1/tips`: a JSON array (or one object) with the import
/// columns; all rows or none; 400 naming the row and field.
func importReports(_ kind: ReportKind, _ workflows: WardWorkflows, _ request: Request, _ context: APIRequestContext) async throws
    -> Response
{
    let buffer = try await request.body.collect(upTo: 4 * 1024 * 1024)
    let rows: [ImportRow]
    do throws(LinkingError) {
        // Invalid UTF-8 is an error naming its line; UTF-16 with a byte-order mark is read.
        var text = try ReportFile.text(of: Data(buffer.readableBytesView), file: "request body")
        if text.drop(while: \.isWhitespace).first == "{" { text = "[" + text + "]" }
        rows = try ReportFile.parse(text, format: .json, file: "request body")
    } catch {
        throw APIError(.badRequest, error.description, field: error.field)
    }
    do {
        return JSONBody.response(try await workflows.importReports(kind, rows: rows, file: "request body",
                                                                   by: try context.requireRequester()))
    } catch let problems as ImportProblems {
        let first = problems.problems.first
        throw APIError(.badRequest, problems.problems.map(\.description).joined(separator: "; "), field: first?.field)
    }
}

func linkItem(_ linked: LinkedEvent, zone: TimeZone) -> LinkItem {
    LinkItem(linked, zone: zone, still: linked.event.still == nil ? nil : "/api/v1/events/\(linked.event.id)/still.jpg",
             recordingPath: nil)
}

/// The shared list filters (from, to, text, limit) plus `extra` names; anything else is a 400.
func reportFilter(_ query: Parameters, extra: Set<String>, zone: TimeZone) throws -> ReportFilter {
    let allowed = Set(["from", "to", "text", "limit"]).union(extra)
    for (key, _) in query where !allowed.contains(String(key)) {
        throw APIError.badParameter(String(key), "is not a parameter here (\(allowed.sorted().joined(separator: ", ")))")
    }
    var filter = ReportFilter()
    for name in ["from", "to"] {
        guard let text = query.get(name) else { continue }
        guard let time = Timestamp.parse(text, defaultZone: zone) else {
            throw APIError.badParameter(name, "'\(text)' is not an ISO 8601 time")
        }
        if name == "from" { filter.from = time } else { filter.to = time }
    }
    if let from = filter.from, let to = filter.to, to <= from { throw APIError.badParameter("to", "must be after from") }
    filter.text = query.get("text")
    if let limit = query.get("limit") {
        guard let value = Int(limit), (1...10_000).contains(value) else {
            throw APIError.badParameter("limit", "must be a whole number from 1 to 10000")
        }
        filter.limit = value
    }
    return filter
}

struct IncidentList: Encodable {
    var incidents: [IncidentItem]
}

struct TipList: Encodable {
    var tips: [TipItem]
}
