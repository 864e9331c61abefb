import Access
import Catalog
import Foundation

/// A camera's day as the console draws it: what was recorded, where nothing was, and the events.
public struct CameraDay: Sendable {
    public var camera: Camera
    public var recordings: [Recording]
    /// Recorded stretches within the day, merged where they touch (within a second).
    public var covered: [DateInterval]
    /// The rest of the day up to now: nothing recorded.
    public var gaps: [DateInterval]
    public var events: [MotionEvent]
}

/// An evidence bundle this server made into its export folder.
public struct BundleListing: Sendable {
    /// The file name in the export folder.
    public var name: String
    /// The custody record of its export.
    public var record: CustodyRecord
    public var sizeBytes: Int64
}

/// An incident linked to an event, with the link.
public struct LinkedIncident: Sendable {
    public var incident: Incident
    public var link: LinkedEvent
}

extension WardWorkflows {
    // MARK: - Cameras

    /// Every camera the requester may see, with its indexing status (nil: never recorded). Audited as "status".
    public func cameraStatuses(for requester: Requester) async throws -> [(camera: Camera, status: CameraStatus?)] {
        try await authorize(requester, .listCameras)
        let cameras = try await cameraRegistry(), statuses = try await store.cameraStatus()
        let byCamera = Dictionary(statuses.map { ($0.camera, $0) }, uniquingKeysWith: { first, _ in first })
        let visible = cameras.filter { policy.admits(requester, $0) }.map { (camera: $0, status: byCamera[$0.id]) }
        try await audit.record(requester, "status", results: visible.count)
        return visible
    }

    /// A camera's recordings, coverage and events in [start, end) (a local day), gaps counted up to `now`.
    /// Audited as "camera.day".
    public func cameraDay(_ id: String, from start: Date, to end: Date, now: Date = Date(),
                          for requester: Requester) async throws -> CameraDay {
        // Another ward's camera is "no camera", as an unknown one.
        let camera = try await self.camera(id: id, action: .viewEvent, for: requester)
        let recordings = try await store.recordings(camera: id, overlappingFrom: start, to: end)
        let events = try await store.events(matching: EventQuery(camera: id, from: start, to: end, limit: 20_000))
        var stretches: [(start: Date, end: Date)] = []
        for recording in recordings.sorted(by: { $0.start < $1.start }) {
            let from = max(recording.start, start), to = min(recording.end, end)
            guard to > from else { continue }
            if let last = stretches.last, from <= last.end.addingTimeInterval(1) {
                stretches[stretches.count - 1].end = max(last.end, to)
            } else {
                stretches.append((from, to))
            }
        }
        let horizon = min(end, now)
        var gaps: [(start: Date, end: Date)] = []
        var cursor = start
        for stretch in stretches {
            if stretch.start > cursor { gaps.append((cursor, min(stretch.start, horizon))) }
            cursor = max(cursor, stretch.end)
        }
        if horizon > cursor { gaps.append((cursor, horizon)) }
        try await audit.record(requester, "camera.day", results: events.count)
        return CameraDay(camera: camera, recordings: recordings,
                         covered: stretches.map { DateInterval(start: $0.start, end: $0.end) },
                         gaps: gaps.filter { $0.end > $0.start }.map { DateInterval(start: $0.start, end: $0.end) }, events: events)
    }

    // MARK: - Around an event

    /// Events on other cameras the requester may see within ±`seconds` of the event, and within `radiusMetres`
    /// of its camera (the same ward when either camera has no position), nearest in time first. Audited as "nearby".
    public func nearbyEvents(around id: Int64, seconds: Double, radiusMetres radius: Double,
                             for requester: Requester) async throws -> (event: MotionEvent, nearby: [SearchHit]) {
        let view = try await visibleEvent(id: id, action: .viewEvent, for: requester)
        let (event, camera) = (view.event, view.camera)
        let candidates = try await store.events(matching: EventQuery(
            from: event.start.addingTimeInterval(-seconds), to: event.end.addingTimeInterval(seconds), limit: 2000))
        let byID = Dictionary(try await cameraRegistry().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let origin = camera.latitude.flatMap { lat in camera.longitude.map { GeoPoint(latitude: lat, longitude: $0) } }
        var hits: [SearchHit] = []
        for other in candidates where other.camera != event.camera {
            let place = byID[other.camera] ?? Camera(id: other.camera)
            guard policy.admits(requester, place) else { continue }
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
        try await audit.record(requester, "nearby", results: hits.count)
        return (event, hits)
    }

    /// The incidents the requester may see that are linked to the event, with each link. Audited as "event.incidents".
    public func linkedIncidents(eventID id: Int64, for requester: Requester) async throws -> [LinkedIncident] {
        let event = try await visibleEvent(id: id, action: .viewEvent, for: requester).event
        let registry = try await cameraRegistry()
        var found: [LinkedIncident] = []
        for subject in try await store.linkSubjects(overlappingFrom: event.start, to: event.end,
                                                    marginSeconds: settings.linkSettings.marginSeconds)
        where subject.kind == .incident {
            guard let link = try await store.linkedEvents(kind: .incident, reportID: subject.id).first(where: { $0.event.id == event.id }),
                  let incident = try await store.incident(id: subject.id),
                  policy.admits(requester, place: incident.place, resolution: incident.resolution, registry: registry) else { continue }
            found.append(LinkedIncident(incident: incident, link: link))
        }
        try await audit.record(requester, "event.incidents", results: found.count)
        return found
    }

    /// The incident with this reference, when the requester may see it; one outside the requester's scope
    /// is not found, as a missing one is.
    public func incident(reference: String, for requester: Requester) async throws -> Incident {
        try await authorize(requester, .viewIncident)
        guard let incident = try await store.incident(reference: reference),
              policy.admits(requester, place: incident.place, resolution: incident.resolution, registry: try await cameraRegistry())
        else { throw WorkflowError(.notFound, "no incident \(reference)") }
        return incident
    }

    // MARK: - Reviews

    /// The requester's own review of an event they may see (an empty, unreviewed one when there is none).
    public func review(eventID id: Int64, for requester: Requester) async throws -> EventReview {
        let event = try await visibleEvent(id: id, action: .viewEvent, for: requester).event
        let found = try await reviewStore().reviews(user: requester.name, eventIDs: [event.id]).first
        return found ?? EventReview(eventID: event.id, user: requester.name, reviewed: false, note: "",
                                    updated: Date(timeIntervalSince1970: 0))
    }

    /// Saves the requester's review of an event they may see; what is not given stays as it was. Audited as "review".
    /// - Throws: `WorkflowError.invalid` ("note") for a note longer than 4000 characters.
    public func saveReview(eventID id: Int64, reviewed: Bool?, note: String?, for requester: Requester) async throws -> EventReview {
        let event = try await visibleEvent(id: id, action: .viewEvent, for: requester).event
        let store = reviewStore()
        guard (note ?? "").count <= 4000 else { throw WorkflowError.invalid("note", "is longer than 4000 characters") }
        let previous = try await store.reviews(user: requester.name, eventIDs: [event.id]).first
        let review = EventReview(eventID: event.id, user: requester.name, reviewed: reviewed ?? previous?.reviewed ?? false,
                                 note: note ?? previous?.note ?? "", updated: Date())
        try await store.saveReview(review)
        try await audit.record(requester, "review", detail: "event=\(event.id) reviewed=\(review.reviewed) note=\(review.note)",
                               results: 1)
        return review
    }

    /// The requester's own reviews of these events.
    public func reviews(eventIDs: [Int64], for requester: Requester) async throws -> [EventReview] {
        try await authorize(requester, .viewEvent)
        return try await reviewStore().reviews(user: requester.name, eventIDs: eventIDs)
    }

    /// Every catalog keeps reviews (both engines pass the console's conformance checks).
    func reviewStore() -> any ReviewStore { store }

    // MARK: - Bundles

    /// The bundles this server exported into its export folder that are still there, newest first. A
    /// ward-limited requester gets those whose every event is in their ward. Audited as "bundles".
    public func bundles(for requester: Requester) async throws -> [BundleListing] {
        try await authorize(requester, .downloadBundle)
        guard let directory = settings.exportDirectory else { return [] }
        let registry = try await cameraRegistry()
        var seen = Set<String>()
        var listings: [BundleListing] = []
        for record in try await store.custodyRecords(caseID: nil).reversed() where record.action == .export {
            let name = (record.bundlePath as NSString).lastPathComponent
            let path = (directory as NSString).appendingPathComponent(name)
            guard !seen.contains(name), record.bundlePath == path || (record.bundlePath as NSString).deletingLastPathComponent
                    == (directory as NSString).standardizingPath,
                  let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            if requester.ward != nil {
                var events: [MotionEvent] = []
                for id in record.eventIDs { if let event = try await store.event(id: id) { events.append(event) } }
                guard events.allSatisfy({ event in policy.admits(requester, registry.first { $0.id == event.camera } ?? Camera(id: event.camera)) })
                else { continue }
            }
            seen.insert(name)
            listings.append(BundleListing(name: name, record: record, sizeBytes: (attributes[.size] as? NSNumber)?.int64Value ?? 0))
        }
        try await audit.record(requester, "bundles", results: listings.count)
        return listings
    }

    // MARK: - The audit trail

    /// The newest `limit` entries that match, newest first, and how many match in all. Admins. Audited as "audit.list".
    public func auditEntries(actor: String?, action: String?, from: Date?, to: Date?, limit: Int,
                             for requester: Requester) async throws -> (total: Int, newestFirst: [AuditEntry]) {
        try await authorize(requester, .readAudit)
        let entries = try await store.auditEntries(actor: actor, action: action, from: from, to: to)
        try await audit.record(requester, "audit.list", results: min(limit, entries.count))
        return (entries.count, entries.suffix(limit).reversed())
    }

    /// Checks the whole trail's hash chain: how many entries, and the first problem (nil: intact). Admins.
    /// Audited as "audit.verify".
    public func verifyAuditTrail(for requester: Requester) async throws -> (entries: Int, problem: String?) {
        try await authorize(requester, .readAudit)
        let entries = try await store.auditEntries(actor: nil, action: nil, from: nil, to: nil)
        let problem = AuditChain.firstProblem(in: entries)
        try await audit.record(requester, "audit.verify", results: entries.count)
        return (entries.count, problem)
    }
}
