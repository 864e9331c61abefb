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
        let user = try context.requireRequester()
        let catalog = workflows.store
        let cameras = try await catalog.cameras(), statuses = try await catalog.cameraStatus()
        let byCamera = Dictionary(statuses.map { ($0.camera, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Date()
        let items = cameras.filter { inScope($0, of: user) }.map { camera in
            CameraHealthItem(camera: camera, status: byCamera[camera.id], view: configuration.console.viewDegrees[camera.id],
                             expected: configuration.console.expectedIntervalSeconds[camera.id], now: now)
        }
        try await workflows.audit.record(user, "status", results: items.count)
        return JSONBody.response(StatusReply(now: Timestamp.format(now, in: workflows.settings.timeZone), cameras: items))
    }

    /// `GET /api/v1/cameras/{id}/day?date=YYYY-MM-DD`: a camera's local day: recorded stretches,
    /// coverage gaps (nothing recorded) and events.
    func cameraDay(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let id = context.parameters.get("id") ?? ""
        let catalog = workflows.store
        // Another ward's camera is "no camera", as an unknown one.
        let camera = try await workflows.camera(id: id, action: .viewEvent, for: user)
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
        let recordings = try await catalog.recordings(camera: id, overlappingFrom: dayStart, to: dayEnd)
        let events = try await catalog.events(matching: EventQuery(camera: id, from: dayStart, to: dayEnd, limit: 20_000))
        // Recorded stretches, merged; gaps are the rest of the day up to now.
        var stretches: [(Date, Date)] = []
        for recording in recordings.sorted(by: { $0.start < $1.start }) {
            let start = max(recording.start, dayStart), end = min(recording.end, dayEnd)
            guard end > start else { continue }
            if let last = stretches.last, start <= last.1.addingTimeInterval(1) {
                stretches[stretches.count - 1].1 = max(last.1, end)
            } else {
                stretches.append((start, end))
            }
        }
        let horizon = min(dayEnd, Date())
        var gaps: [(Date, Date)] = []
        var cursor = dayStart
        for (start, end) in stretches {
            if start > cursor { gaps.append((cursor, min(start, horizon))) }
            cursor = max(cursor, end)
        }
        if horizon > cursor { gaps.append((cursor, horizon)) }
        gaps = gaps.filter { $0.1 > $0.0 }
        let zone = workflows.settings.timeZone
        func span(_ pair: (Date, Date)) -> Span { Span(start: Timestamp.format(pair.0, in: zone), end: Timestamp.format(pair.1, in: zone)) }
        try await workflows.audit.record(user, "camera.day", results: events.count)
        let reply = CameraDayReply(
            camera: camera, day: Self.dayText(dayStart, calendar: calendar), from: Timestamp.format(dayStart, in: zone),
            to: Timestamp.format(dayEnd, in: zone),
            recordings: recordings.map { RecordingSpan(id: $0.id, start: Timestamp.format($0.start, in: zone), end: Timestamp.format($0.end, in: zone)) },
            covered: stretches.map(span), gaps: gaps.map(span),
            events: events.map { consoleItem(SearchHit(event: $0, camera: camera, recordingPath: "", distanceMetres: nil)) })
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
        let (event, camera, _) = try await consoleEvent(context, user)
        let query = request.uri.queryParameters
        let seconds = try Self.boundedNumber(query, "seconds", default: 120, range: 1...3600)
        let radius = try Self.boundedNumber(query, "radius", default: 1000, range: 1...50_000)
        let catalog = workflows.store
        let candidates = try await catalog.events(matching: EventQuery(
            from: event.start.addingTimeInterval(-seconds), to: event.end.addingTimeInterval(seconds), limit: 2000))
        let cameras = try await catalog.cameras()
        let byID = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let origin = camera.latitude.flatMap { lat in camera.longitude.map { GeoPoint(latitude: lat, longitude: $0) } }
        var hits: [SearchHit] = []
        for other in candidates where other.camera != event.camera {
            let place = byID[other.camera] ?? Camera(id: other.camera)
            guard inScope(place, of: user) else { continue }
            var distance: Double?
            if let origin, let lat = place.latitude, let lon = place.longitude {
                let metres = origin.distance(to: GeoPoint(latitude: lat, longitude: lon))
                guard metres <= radius else { continue }
                distance = (metres * 10).rounded() / 10
            } else if place.ward == nil || place.ward != camera.ward {
                continue
            }
            hits.append(SearchHit(event: other, camera: place, recordingPath: "", distanceMetres: distance))
        }
        hits.sort { abs($0.event.start.timeIntervalSince(event.start)) < abs($1.event.start.timeIntervalSince(event.start)) }
        try await workflows.audit.record(user, "nearby", results: hits.count)
        return JSONBody.response(NearbyReply(event: event.id, seconds: seconds, radius_m: radius, events: hits.map { consoleItem($0) }))
    }

    /// `GET /api/v1/events/{id}/incidents`: the incidents linked to this event, with each link's state.
    func eventIncidents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let (event, _, _) = try await consoleEvent(context, user)
        let catalog = workflows.store
        let margin = workflows.settings.linkSettings.marginSeconds
        let cameras = try await catalog.cameras()
        var found: [(Incident, LinkedEvent)] = []
        for subject in try await catalog.linkSubjects(overlappingFrom: event.start, to: event.end, marginSeconds: margin)
        where subject.kind == .incident {
            guard let link = try await catalog.linkedEvents(kind: .incident, reportID: subject.id).first(where: { $0.event.id == event.id }),
                  let incident = try await catalog.incident(id: subject.id),
                  workflows.policy.admits(user, place: incident.place, resolution: incident.resolution, registry: cameras) else { continue }
            found.append((incident, link))
        }
        try await workflows.audit.record(user, "event.incidents", results: found.count)
        let zone = workflows.settings.timeZone
        return JSONBody.response(EventIncidentsReply(incidents: found.map {
            EventIncidentItem(incident: IncidentItem($0.0, zone: zone), link: linkItem($0.1, zone: zone))
        }))
    }

    /// `GET /api/v1/incident-references/{reference}`: the catalog id of an incident by its reference.
    func incidentByReference(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let reference = context.parameters.get("reference") ?? ""
        let catalog = workflows.store
        let found = try await catalog.incident(reference: reference), cameras = try await catalog.cameras()
        guard let incident = found, workflows.policy.admits(user, place: incident.place, resolution: incident.resolution, registry: cameras) else {
            throw APIError(.notFound, "no incident \(reference)")
        }
        return JSONBody.response(IncidentReferenceReply(id: incident.id, reference: incident.reference))
    }

    // MARK: - Reviews

    /// `GET /api/v1/events/{id}/review`: the caller's review of the event.
    func review(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let (event, _, _) = try await consoleEvent(context, user)
        let store = try reviewStore()
        let found = try await store.reviews(user: user.name, eventIDs: [event.id]).first
        return JSONBody.response(ReviewItem(found ?? EventReview(eventID: event.id, user: user.name, reviewed: false, note: "",
                                                                    updated: Date(timeIntervalSince1970: 0)), zone: workflows.settings.timeZone))
    }

    /// `PUT /api/v1/events/{id}/review`: `{"reviewed": true, "note": "…"}`. Audited.
    func saveReview(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let (event, _, _) = try await consoleEvent(context, user)
        let store = try reviewStore()
        let body = try await request.body.collect(upTo: 16 * 1024)
        struct Body: Decodable { var reviewed: Bool?; var note: String? }
        guard let asked = try? JSONDecoder().decode(Body.self, from: Data(buffer: body)) else {
            throw APIError.badParameter("body", "is not a JSON object with reviewed (true/false) and note")
        }
        let note = asked.note ?? ""
        guard note.count <= 4000 else { throw APIError.badParameter("note", "is longer than 4000 characters") }
        let previous = try await store.reviews(user: user.name, eventIDs: [event.id]).first
        let review = EventReview(eventID: event.id, user: user.name, reviewed: asked.reviewed ?? previous?.reviewed ?? false,
                                 note: asked.note ?? previous?.note ?? "", updated: Date())
        try await store.saveReview(review)
        let summary = "event=\(event.id) reviewed=\(review.reviewed) note=\(review.note)"
        try await workflows.audit.record(user, "review", detail: summary, results: 1)
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
        let store = try reviewStore()
        let asked = ids
        let found = try await store.reviews(user: user.name, eventIDs: asked)
        return JSONBody.response(ReviewList(reviews: found.map { ReviewItem($0, zone: workflows.settings.timeZone) }))
    }

    func reviewStore() throws -> any ReviewStore {
        guard let store = workflows.store as? any ReviewStore else { throw APIError(.unavailable, "this catalog keeps no reviews") }
        return store
    }

    // MARK: - Bundles

    /// `GET /api/v1/bundles`: the evidence bundles this server made, newest first. Investigators.
    func listBundles(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        guard let directory = workflows.settings.exportDirectory else { return JSONBody.response(BundleList(bundles: [])) }
        let catalog = workflows.store
        let zone = workflows.settings.timeZone
        let cameras = try await catalog.cameras()
        var seen = Set<String>()
        var items: [BundleItem] = []
        for record in try await catalog.custodyRecords(caseID: nil).reversed() where record.action == .export {
            let name = (record.bundlePath as NSString).lastPathComponent
            let path = (directory as NSString).appendingPathComponent(name)
            guard !seen.contains(name), record.bundlePath == path || (record.bundlePath as NSString).deletingLastPathComponent
                    == (directory as NSString).standardizingPath,
                  let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            if user.ward != nil {
                var events: [MotionEvent] = []
                for id in record.eventIDs { if let event = try await catalog.event(id: id) { events.append(event) } }
                guard events.allSatisfy({ event in inScope(cameras.first { $0.id == event.camera } ?? Camera(id: event.camera), of: user) })
                else { continue }
            }
            seen.insert(name)
            items.append(BundleItem(name: name, case_id: record.caseID, reason: record.reason, actor: record.actor,
                                    created: Timestamp.format(record.time, in: zone), events: record.eventIDs,
                                    size_bytes: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                                    manifest_sha256: record.manifestSHA256, download_url: "/api/v1/exports/\(name)"))
        }
        try await workflows.audit.record(user, "bundles", results: items.count)
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
        let catalog = workflows.store
        let entries = try await catalog.auditEntries(actor: actor, action: action, from: from, to: to)
        try await workflows.audit.record(user, "audit.list", results: min(limit, entries.count))
        let zone = workflows.settings.timeZone
        return JSONBody.response(AuditList(total: entries.count, entries: entries.suffix(limit).reversed().map { AuditItem($0, zone: zone) }))
    }

    /// `POST /api/v1/audit/verify`: checks the whole trail's hash chain. Admins. Audited.
    func verifyAudit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireRequester()
        let catalog = workflows.store
        let entries = try await catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)
        let count = entries.count, problem = AuditChain.firstProblem(in: entries)
        try await workflows.audit.record(user, "audit.verify", results: count)
        return JSONBody.response(AuditVerification(intact: problem == nil, entries: count, problem: problem))
    }

    // MARK: - Helpers

    func inScope(_ camera: Camera, of user: Requester) -> Bool { workflows.policy.admits(user, camera) }

    func consoleItem(_ hit: SearchHit) -> SearchResultItem { EventRoutes(workflows: workflows).item(hit) }

    /// The event named in the path, when it exists and the access policy lets the requester view its
    /// camera; another ward's event is "no event", as a missing one (the refusal is audited as `view.denied`).
    func consoleEvent(_ context: APIRequestContext, _ user: Requester) async throws -> (MotionEvent, Camera, Recording) {
        let view = try await workflows.visibleEvent(id: try pathID(context), action: .viewEvent, for: user)
        return (view.event, view.camera, view.recording)
    }

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
