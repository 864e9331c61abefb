import Access
import Catalog
import Foundation
import Hummingbird
import Linking
import NIOCore

extension WardWatchAPI {
    // MARK: - Reading

    /// `GET /api/v1/incidents`: incidents in the token's ward, by reported time. Audited.
    func listIncidents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let query = request.uri.queryParameters
        var filter = try reportFilter(query, extra: ["status", "category"])
        if let status = query.get("status") {
            guard let value = IncidentStatus(rawValue: status) else { throw APIError.badParameter("status", "'\(status)' must be open or closed") }
            filter.status = value
        }
        filter.category = query.get("category")
        let catalog = self.catalog
        let finalFilter = filter
        let (incidents, cameras) = (try await catalog.incidents(matching: finalFilter), try await catalog.cameras())
        let visible = incidents.filter { Self.reportInScope($0.place, $0.resolution, cameras: cameras, of: user) }
        try await audit(context, user: user, action: "incidents", request: request, results: visible.count)
        return JSONBody.response(IncidentList(incidents: visible.map { IncidentItem($0, zone: configuration.timeZone) }))
    }

    /// `GET /api/v1/incidents/{id}`: one incident, its ranked links and its tips. Reporter contacts
    /// only for investigators and admins. Audited.
    func showIncident(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let (incident, cameras) = try await visibleIncident(request, context, user: user, action: "incident")
        let catalog = self.catalog
        let (links, tips) = (
            try await catalog.linkedEvents(kind: .incident, reportID: incident.id),
            try await catalog.tips(matching: ReportFilter(incidentReference: incident.reference))
        )
        let byID = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let shown = links.filter { Self.inScope(byID[$0.link.camera] ?? Camera(id: $0.link.camera), of: user) }
        try await audit(context, user: user, action: "incident.view", request: request, results: shown.count)
        let zone = configuration.timeZone
        return JSONBody.response(IncidentDetail(
            incident: IncidentItem(incident, zone: zone),
            links: shown.map { linkItem($0) },
            tips: tips.filter { Self.reportInScope($0.place, $0.resolution, cameras: cameras, of: user) }
                .map { TipItem($0, zone: zone, showContact: user.role >= .investigator) }))
    }

    /// `GET /api/v1/tips`: tips in the token's ward; reporter contacts only for investigators and admins. Audited.
    func listTips(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let query = request.uri.queryParameters
        var filter = try reportFilter(query, extra: ["channel", "incident"])
        filter.channel = query.get("channel")
        filter.incidentReference = query.get("incident")
        let catalog = self.catalog
        let finalFilter = filter
        let (tips, cameras) = (try await catalog.tips(matching: finalFilter), try await catalog.cameras())
        let visible = tips.filter { Self.reportInScope($0.place, $0.resolution, cameras: cameras, of: user) }
        try await audit(context, user: user, action: "tips", request: request, results: visible.count)
        let showContact = user.role >= .investigator
        return JSONBody.response(TipList(tips: visible.map { TipItem($0, zone: configuration.timeZone, showContact: showContact) }))
    }

    // MARK: - Writing

    /// `POST /api/v1/incidents` and `/api/v1/tips`: a JSON array (or one object) with the import
    /// columns. Investigators and admins; all rows or none; 400 naming the row and field. Audited.
    func importReports(_ kind: ReportKind, _ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role >= .investigator else {
            try await audit(context, user: user, action: "import.denied", request: request, results: nil)
            throw APIError(.forbidden, "importing \(kind.rawValue)s needs the investigator role; this token is a \(user.role.rawValue)")
        }
        // An import may update any ward's reports by reference, so it is a ward office's job: a token
        // limited to one ward could otherwise rewrite, or pull into its own scope, another ward's reports.
        if let ward = user.ward {
            try await audit(context, user: user, action: "import.denied", request: request, results: nil)
            throw APIError(.forbidden, "this token is limited to ward \(ward); imports need an unscoped investigator token or the command line")
        }
        let buffer = try await request.body.collect(upTo: 4 * 1024 * 1024)
        let rows: [ImportRow]
        do throws(LinkingError) {
            var text = try ReportFile.text(of: Data(buffer.readableBytesView), file: "request body")
            if text.drop(while: \.isWhitespace).first == "{" { text = "[" + text + "]" }
            rows = try ReportFile.parse(text, format: .json, file: "request body")
        } catch {
            throw APIError(.badRequest, error.description, field: error.field)
        }
        let intake = ReportIntake(linker: Linker(store: catalog, settings: configuration.linkSettings, alerts: configuration.linkAlerts),
                                  timeZone: configuration.timeZone)
        let report: ImportReport
        do {
            report = kind == .incident
                ? try await intake.importIncidents(rows, file: "request body") : try await intake.importTips(rows, file: "request body")
        } catch let problems as ImportProblems {
            let first = problems.problems.first
            throw APIError(.badRequest, problems.problems.map(\.description).joined(separator: "; "), field: first?.field)
        }
        try await audit(context, user: user, action: "import.\(kind.rawValue)s", request: request, results: report.rows.count)
        return JSONBody.response(report)
    }

    /// `POST /api/v1/incidents/{id}/links/{event}/confirm|reject`: a person's decision, which
    /// relinking never overwrites. Investigators and admins. Audited.
    func decideLink(_ state: LinkState, _ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let action = state == .confirmed ? "link.confirm" : "link.reject"
        let (incident, cameras) = try await visibleIncident(request, context, user: user, action: action)
        guard user.role >= .investigator else {
            try await audit(context, user: user, action: action + ".denied", request: request, results: nil)
            throw APIError(.forbidden, "deciding links needs the investigator role; this token is a \(user.role.rawValue)")
        }
        guard let text = context.parameters.get("event"), let eventID = Int64(text), eventID > 0 else {
            throw APIError.badParameter("event", "'\(context.parameters.get("event") ?? "")' is not an event id (a positive integer)")
        }
        let catalog = self.catalog
        // A link may point at a camera of a neighbouring ward: decide only what this token may see.
        let existing = try await catalog.linkedEvents(kind: .incident, reportID: incident.id).first { $0.event.id == eventID }
        if let existing, !Self.inScope(cameras.first { $0.id == existing.link.camera } ?? Camera(id: existing.link.camera), of: user) {
            try await audit(context, user: user, action: action + ".denied", request: request, results: nil)
            throw APIError(.forbidden, "event \(eventID) is outside this token's ward")
        }
        var decided: LinkedEvent?
        if try await catalog.decideLink(kind: .incident, reportID: incident.id, eventID: eventID, state: state, by: user.name) {
            decided = try await catalog.linkedEvents(kind: .incident, reportID: incident.id).first { $0.event.id == eventID }
        }
        guard let decided else { throw APIError(.notFound, "incident \(incident.id) has no link to event \(eventID)") }
        try await audit(context, user: user, action: action, request: request, results: 1)
        return JSONBody.response(linkItem(decided))
    }

    // MARK: - Helpers

    /// The incident named in the path, when it exists and the token's ward covers it.
    func visibleIncident(_ request: Request, _ context: APIRequestContext, user: User, action: String) async throws
        -> (Incident, [Camera])
    {
        let id = try Self.pathID(context)
        let catalog = self.catalog
        let (found, cameras) = (try await catalog.incident(id: id), try await catalog.cameras())
        guard let incident = found else { throw APIError(.notFound, "no incident \(id)") }
        guard Self.reportInScope(incident.place, incident.resolution, cameras: cameras, of: user) else {
            try await audit(context, user: user, action: action + ".denied", request: request, results: nil)
            throw APIError(.forbidden, "incident \(id) is outside this token's ward")
        }
        return (incident, cameras)
    }

    /// A ward-scoped token sees a report when it names that ward, or when its place resolved to one
    /// of the ward's cameras. Unplaced reports are for unscoped tokens only.
    static func reportInScope(_ place: ReportedPlace, _ resolution: PlaceResolution?, cameras: [Camera], of user: User) -> Bool {
        guard let ward = user.ward else { return true }
        if let named = place.ward, PlaceText.foldedWords(named) == PlaceText.foldedWords(ward) { return true }
        let own = Set(cameras.filter { inScope($0, of: user) }.map(\.id))
        return resolution?.cameras.contains { own.contains($0) } ?? false
    }

    func linkItem(_ linked: LinkedEvent) -> LinkItem {
        LinkItem(linked, zone: configuration.timeZone,
                 still: linked.event.still == nil ? nil : "/api/v1/events/\(linked.event.id)/still.jpg", recordingPath: nil)
    }

    /// The shared list filters (from, to, text, limit) plus `extra` names; anything else is a 400.
    func reportFilter(_ query: Parameters, extra: Set<String>) throws -> ReportFilter {
        let allowed = Set(["from", "to", "text", "limit"]).union(extra)
        for (key, _) in query where !allowed.contains(String(key)) {
            throw APIError.badParameter(String(key), "is not a parameter here (\(allowed.sorted().joined(separator: ", ")))")
        }
        var filter = ReportFilter()
        for name in ["from", "to"] {
            guard let text = query.get(name) else { continue }
            guard let time = Timestamp.parse(text, defaultZone: configuration.timeZone) else {
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
}

struct IncidentList: Encodable {
    var incidents: [IncidentItem]
}

struct TipList: Encodable {
    var tips: [TipItem]
}
