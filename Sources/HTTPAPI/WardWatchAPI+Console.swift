import Access
import Catalog
import Evidence
import Foundation
import Hummingbird
import Linking
import NIOCore
import Workflows

/// The routes the web console needs beyond search, events and incidents: a camera's day, events
/// near an event, per-user reviews, bundles and their verification, camera health and the audit trail.
extension WardWatchAPI {
    /// Adds the console's API routes to the authenticated group.
    func addConsoleRoutes(to api: RouterGroup<APIRequestContext>) {
        api.delete("/session") { request, context in try await self.signOut(request, context) }
        api.get("/status") { request, context in try await self.status(request, context) }
        api.get("/cameras/:id/day") { request, context in try await self.cameraDay(request, context) }
        api.get("/events/:id/nearby") { request, context in try await self.nearbyEvents(request, context) }
        api.get("/events/:id/incidents") { request, context in try await self.eventIncidents(request, context) }
        api.get("/events/:id/review") { request, context in try await self.review(request, context) }
        api.put("/events/:id/review") { request, context in try await self.saveReview(request, context) }
        api.get("/reviews") { request, context in try await self.reviewList(request, context) }
        api.get("/incident-references/:reference") { request, context in try await self.incidentByReference(request, context) }
        let investigators = api.group("/bundles").add(middleware: AccessMiddleware(workflows: workflows, action: .downloadBundle))
        investigators.get("") { request, context in try await self.listBundles(request, context) }
        investigators.post("/:name/verify") { request, context in try await self.verifyBundle(request, context) }
        let admins = api.group("/audit").add(middleware: AccessMiddleware(workflows: workflows, action: .readAudit))
        admins.get("") { request, context in try await self.auditList(request, context) }
        admins.post("/verify") { request, context in try await self.verifyAudit(request, context) }
    }

    // MARK: - Cameras

    /// `GET /api/v1/status`: every camera in scope with its place, view direction and health.
    func status(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let now = Date()
        let items = try await workflows.cameraStatuses(for: try context.requireRequester()).map { camera, status in
            CameraHealthItem(camera: camera, status: status, view: configuration.console.viewDegrees[camera.id],
                             expected: configuration.console.expectedIntervalSeconds[camera.id], now: now)
        }
        return JSONBody.response(StatusReply(now: Timestamp.format(now, in: workflows.settings.timeZone), cameras: items))
    }

    /// `GET /api/v1/cameras/{id}/day?date=YYYY-MM-DD`: a camera's local day: recorded stretches,
    /// coverage gaps (nothing recorded) and events.
    func cameraDay(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let id = context.parameters.get("id") ?? ""
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = workflows.settings.timeZone
        let dayStart: Date
        if let text = request.uri.queryParameters.get("date") {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, text.count == 10,
                  let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
                throw APIError.badParameter("date", "'\(text)' is not a day (YYYY-MM-DD)")
            }
            dayStart = date
        } else {
            dayStart = calendar.startOfDay(for: Date())
        }
        let dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? dayStart.addingTimeInterval(86400)
        let day = try await workflows.cameraDay(id, from: dayStart, to: dayEnd, for: user)
        let zone = workflows.settings.timeZone
        func span(_ interval: DateInterval) -> Span {
            Span(start: Timestamp.format(interval.start, in: zone), end: Timestamp.format(interval.end, in: zone))
        }
        let reply = CameraDayReply(
            camera: day.camera, day: Self.dayText(dayStart, calendar: calendar), from: Timestamp.format(dayStart, in: zone),
            to: Timestamp.format(dayEnd, in: zone),
            recordings: day.recordings.map { RecordingSpan(id: $0.id, start: Timestamp.format($0.start, in: zone), end: Timestamp.format($0.end, in: zone)) },
            covered: day.covered.map(span), gaps: day.gaps.map(span),
            events: day.events.map { consoleItem(SearchHit(event: $0, camera: day.camera, recordingPath: "", distanceMetres: nil)) })
        return JSONBody.response(reply)
    }

    static func dayText(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.year ?? 0)-\(two(parts.month ?? 0))-\(two(parts.day ?? 0))"
    }

    // MARK: - Around an event

    /// `GET /api/v1/events/{id}/nearby?seconds=120&radius=1000`: events on other cameras within
    /// ±seconds of this one and within radius metres (same ward when a camera has no coordinates).
    func nearbyEvents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let id = try pathID(context)
        let query = request.uri.queryParameters
        let seconds = try Self.boundedNumber(query, "seconds", default: 120, range: 1...3600)
        let radius = try Self.boundedNumber(query, "radius", default: 1000, range: 1...50_000)
        let (event, hits) = try await workflows.nearbyEvents(around: id, seconds: seconds, radiusMetres: radius, for: user)
        return JSONBody.response(NearbyReply(event: event.id, seconds: seconds, radius_m: radius, events: hits.map { consoleItem($0) }))
    }

    /// `GET /api/v1/events/{id}/incidents`: the incidents linked to this event, with each link's state.
    func eventIncidents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let found = try await workflows.linkedIncidents(eventID: try pathID(context), for: try context.requireRequester())
        let zone = workflows.settings.timeZone
        return JSONBody.response(EventIncidentsReply(incidents: found.map {
            EventIncidentItem(incident: IncidentItem($0.incident, zone: zone), link: linkItem($0.link, zone: zone))
        }))
    }

    /// `GET /api/v1/incident-references/{reference}`: the catalog id of an incident by its reference.
    func incidentByReference(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let incident = try await workflows.incident(reference: context.parameters.get("reference") ?? "", for: try context.requireRequester())
        return JSONBody.response(IncidentReferenceReply(id: incident.id, reference: incident.reference))
    }

    // MARK: - Reviews

    /// `GET /api/v1/events/{id}/review`: the caller's review of the event.
    func review(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let review = try await workflows.review(eventID: try pathID(context), for: try context.requireRequester())
        return JSONBody.response(ReviewItem(review, zone: workflows.settings.timeZone))
    }

    /// `PUT /api/v1/events/{id}/review`: `{"reviewed": true, "note": "…"}`. Audited.
    func saveReview(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let id = try pathID(context)
        let body = try await request.body.collect(upTo: 16 * 1024)
        struct Body: Decodable { var reviewed: Bool?; var note: String? }
        guard let asked = try? JSONDecoder().decode(Body.self, from: Data(buffer: body)) else {
            throw APIError.badParameter("body", "is not a JSON object with reviewed (true/false) and note")
        }
        let review = try await workflows.saveReview(eventID: id, reviewed: asked.reviewed, note: asked.note, for: user)
        return JSONBody.response(ReviewItem(review, zone: workflows.settings.timeZone))
    }

    /// `GET /api/v1/reviews?events=1,2,3`: the caller's reviews of these events.
    func reviewList(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let text = request.uri.queryParameters.get("events") ?? ""
        var ids: [Int64] = []
        for part in text.split(separator: ",") {
            guard let id = Int64(part), id > 0 else { throw APIError.badParameter("events", "'\(part)' is not an event id") }
            ids.append(id)
        }
        guard ids.count <= 500 else { throw APIError.badParameter("events", "lists more than 500 events") }
        let found = try await workflows.reviews(eventIDs: ids, for: user)
        return JSONBody.response(ReviewList(reviews: found.map { ReviewItem($0, zone: workflows.settings.timeZone) }))
    }

    // MARK: - Bundles

    /// `GET /api/v1/bundles`: the evidence bundles this server made, newest first. Investigators.
    func listBundles(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let zone = workflows.settings.timeZone
        let items = try await workflows.bundles(for: try context.requireRequester()).map { listing in
            BundleItem(name: listing.name, case_id: listing.record.caseID, reason: listing.record.reason, actor: listing.record.actor,
                       created: Timestamp.format(listing.record.time, in: zone), events: listing.record.eventIDs,
                       size_bytes: listing.sizeBytes, manifest_sha256: listing.record.manifestSHA256,
                       download_url: "/api/v1/exports/\(listing.name)")
        }
        return JSONBody.response(BundleList(bundles: items))
    }

    /// `POST /api/v1/bundles/{name}/verify`: checks a bundle as `wardwatch verify` does, against this
    /// server's signing key; the same bundles as the download. Audited.
    func verifyBundle(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let report = try await workflows.verifyBundle(named: name, for: try context.requireRequester())
        return JSONBody.response(BundleVerification(name: name, intact: report.intact, problem: report.problem,
                                                    files_checked: report.filesChecked, signed_by_this_server: report.signedByTrustedKey,
                                                    case_id: report.caseID))
    }

    // MARK: - Audit

    /// `GET /api/v1/audit?actor=&action=&from=&to=&limit=`: the newest entries first. Admins. Audited.
    func auditList(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let query = request.uri.queryParameters
        for (key, _) in query where !["actor", "action", "from", "to", "limit"].contains(String(key)) {
            throw APIError.badParameter(String(key), "is not a parameter here (actor, action, from, to, limit)")
        }
        func time(_ name: String) throws -> Date? {
            guard let text = query.get(name) else { return nil }
            guard let date = Timestamp.parse(text, defaultZone: workflows.settings.timeZone) else {
                throw APIError.badParameter(name, "'\(text)' is not an ISO 8601 time")
            }
            return date
        }
        let from = try time("from"), to = try time("to")
        let limit = Int(try Self.boundedNumber(query, "limit", default: 200, range: 1...5000))
        let actor = query.get("actor").flatMap { $0.isEmpty ? nil : $0 }, action = query.get("action").flatMap { $0.isEmpty ? nil : $0 }
        let (total, entries) = try await workflows.auditEntries(actor: actor, action: action, from: from, to: to, limit: limit, for: user)
        let zone = workflows.settings.timeZone
        return JSONBody.response(AuditList(total: total, entries: entries.map { AuditItem($0, zone: zone) }))
    }

    /// `POST /api/v1/audit/verify`: checks the whole trail's hash chain. Admins. Audited.
    func verifyAudit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (count, problem) = try await workflows.verifyAuditTrail(for: try context.requireRequester())
        return JSONBody.response(AuditVerification(intact: problem == nil, entries: count, problem: problem))
    }

    // MARK: - Helpers

    func consoleItem(_ hit: SearchHit) -> SearchResultItem { EventRoutes(workflows: workflows).item(hit) }

    static func boundedNumber(_ query: Parameters, _ name: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
        guard let text = query.get(name) else { return value }
        guard let number = Double(text), range.contains(number) else {
            throw APIError.badParameter(name, "must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return number
    }
}

// MARK: - Response bodies

struct CameraHealthItem: Encodable {
    var id: String
    var name: String?
    var ward: String?
    var street: String?
    var latitude: Double?
    var longitude: Double?
    /// Degrees clockwise from north.
    var view_deg: Double?
    /// ok, late (no recording for longer than expected), problem (picture problems), unknown (never recorded).
    var state: String
    var last_recording_end: String?
    var last_file_seen: String?
    var lag_s: Double?
    var events: Int
    var footage_s: Double
    var failed_files: Int
    var problems: [String]

    init(camera: Camera, status: CameraStatus?, view: Double?, expected: Double?, now: Date) {
        id = camera.id
        name = camera.name
        ward = camera.ward
        street = camera.street
        latitude = camera.latitude
        longitude = camera.longitude
        view_deg = view
        last_recording_end = status?.lastRecordingEnd.map { Timestamp.format($0) }
        last_file_seen = status?.lastFileSeen.map { Timestamp.format($0) }
        lag_s = status?.lastRecordingEnd.map { (now.timeIntervalSince($0)).rounded() }
        events = status?.eventCount ?? 0
        footage_s = (status?.footageSeconds ?? 0).rounded()
        failed_files = status?.files[.failed] ?? 0
        problems = status?.lastRecordingHealth ?? []
        if failed_files > 0 { problems.append("failed files: \(failed_files)") }
        if status?.lastRecordingEnd == nil {
            state = "unknown"
        } else if !problems.isEmpty {
            state = "problem"
        } else if let expected, let lag = lag_s, lag > expected * 2 {
            state = "late"
        } else {
            state = "ok"
        }
    }
}

struct StatusReply: Encodable {
    var now: String
    var cameras: [CameraHealthItem]
}

struct Span: Encodable {
    var start: String
    var end: String
}

struct RecordingSpan: Encodable {
    var id: Int64
    var start: String
    var end: String
}

struct CameraDayReply: Encodable {
    var camera: Camera
    var day: String
    var from: String
    var to: String
    var recordings: [RecordingSpan]
    var covered: [Span]
    var gaps: [Span]
    var events: [SearchResultItem]
}

struct NearbyReply: Encodable {
    var event: Int64
    var seconds: Double
    var radius_m: Double
    var events: [SearchResultItem]
}

struct EventIncidentItem: Encodable {
    var incident: IncidentItem
    var link: LinkItem
}

struct EventIncidentsReply: Encodable {
    var incidents: [EventIncidentItem]
}

struct IncidentReferenceReply: Encodable {
    var id: Int64
    var reference: String
}

struct ReviewItem: Encodable {
    var event: Int64
    var reviewed: Bool
    var note: String
    var updated: String?

    init(_ review: EventReview, zone: TimeZone) {
        event = review.eventID
        reviewed = review.reviewed
        note = review.note
        updated = review.updated.timeIntervalSince1970 == 0 ? nil : Timestamp.format(review.updated, in: zone)
    }
}

struct ReviewList: Encodable {
    var reviews: [ReviewItem]
}

struct BundleItem: Encodable {
    var name: String
    var case_id: String
    var reason: String
    var actor: String
    var created: String
    var events: [Int64]
    var size_bytes: Int64
    var manifest_sha256: String
    var download_url: String
}

struct BundleList: Encodable {
    var bundles: [BundleItem]
}

struct BundleVerification: Encodable {
    var name: String
    var intact: Bool
    var problem: String?
    var files_checked: Int
    var signed_by_this_server: Bool?
    var case_id: String?
}

struct AuditItem: Encodable {
    var sequence: Int64
    var time: String
    var actor: String
    var action: String
    var query: String
    var result_count: Int?
    var client: String
    var hash: String

    init(_ entry: AuditEntry, zone: TimeZone) {
        sequence = entry.sequence
        time = Timestamp.format(entry.time, in: zone)
        actor = entry.actor
        action = entry.action
        query = entry.query
        result_count = entry.resultCount
        client = entry.client
        hash = entry.hash
    }
}

struct AuditList: Encodable {
    var total: Int
    var entries: [AuditItem]
}

struct AuditVerification: Encodable {
    var intact: Bool
    var entries: Int
    var problem: String?
}
