import Catalog
import Foundation

/// How far from a report, in space and time, events are considered.
public struct LinkSettings: Sendable, Equatable {
    /// Cameras within this many metres of a reported point are candidates (plus the point's own uncertainty).
    public var radiusMetres: Double = 300
    /// Events this many seconds before or after the reported time are candidates too.
    public var marginSeconds: Double = 900

    public init(radiusMetres: Double = 300, marginSeconds: Double = 900) {
        self.radiusMetres = radiusMetres
        self.marginSeconds = marginSeconds
    }
}

/// What linking reads and writes: cameras, events, reports and their links.
public typealias LinkingStore = CameraStore & SearchStore & ReportStore & LinkStore

extension LinkSubject {
    /// Open incidents raise an alert for each new suggested link; tips and closed incidents do not.
    public var alertsOnNewLinks: Bool { kind == .incident && status == .open }
}

/// What a linking pass did.
public struct LinkSummary: Sendable, Equatable {
    public var reports: Int = 0
    public var added: Int = 0
    public var updated: Int = 0
    public var removed: Int = 0
    /// Confirmed or rejected links left alone.
    public var kept: Int = 0
    /// Recordings looked at (incremental passes).
    public var recordings: Int = 0
    /// Reports whose place matched nothing: (kind, reference, the text given).
    public var unresolved: [(ReportKind, String, String)] = []

    public init() {}

    public static func == (lhs: LinkSummary, rhs: LinkSummary) -> Bool {
        (lhs.reports, lhs.added, lhs.updated, lhs.removed, lhs.kept, lhs.recordings)
            == (rhs.reports, rhs.added, rhs.updated, rhs.removed, rhs.kept, rhs.recordings)
            && lhs.unresolved.map { "\($0.0.rawValue)|\($0.1)|\($0.2)" } == rhs.unresolved.map { "\($0.0.rawValue)|\($0.1)|\($0.2)" }
    }
}

/// Links incidents and tips to motion events by place and time, and keeps the links current as
/// reports change and footage arrives. People's decisions (confirmed, rejected) are never undone.
public struct Linker: Sendable {
    public let store: any LinkingStore
    public let settings: LinkSettings
    /// Alert lines for a new suggested link on an open incident (queued with the link, atomically).
    public let alerts: @Sendable (IncidentLinkNotice) -> [NewAlert]

    public init(store: any LinkingStore, settings: LinkSettings = LinkSettings(),
                alerts: @escaping @Sendable (IncidentLinkNotice) -> [NewAlert] = { _ in [] }) {
        self.store = store
        self.settings = settings
        self.alerts = alerts
    }

    /// Links every report that is new or changed since it was last linked (after an import).
    @discardableResult
    public func linkAwaitingReports() async throws -> LinkSummary {
        let resolver = PlaceResolver(cameras: try await store.cameras(), radiusMetres: settings.radiusMetres)
        var summary = LinkSummary()
        var done: Set<[Int64]> = []
        while true {
            // A report re-imported meanwhile comes back with a new revision; one seen twice at the
            // same revision means its mark could not be cleared, so stop rather than spin.
            let batch = try await store.reportsAwaitingLinks(limit: 500).filter { done.insert([$0.id, $0.revision]).inserted }
            guard !batch.isEmpty else { return summary }
            for subject in batch { try await link(subject, resolver: resolver, into: &summary) }
        }
    }

    /// Links the reports a newly indexed recording can concern, and only those: reports whose time
    /// (± the margin) overlaps the recording and whose place can involve its camera.
    @discardableResult
    public func linkNewRecordings() async throws -> LinkSummary {
        var summary = LinkSummary()
        var resolver: PlaceResolver?
        while true {
            let recordings = try await store.recordingsAwaitingLinks(limit: 100)
            guard !recordings.isEmpty else { return summary }
            let current: PlaceResolver
            if let resolver { current = resolver } else {
                current = PlaceResolver(cameras: try await store.cameras(), radiusMetres: settings.radiusMetres)
            }
            resolver = current
            var linked: Set<Int64> = []
            for recording in recordings {
                let subjects = try await store.linkSubjects(overlappingFrom: recording.start, to: recording.end,
                                                      marginSeconds: settings.marginSeconds)
                for subject in subjects where !linked.contains(subject.id) {
                    guard current.resolve(subject.place).cameras.contains(recording.camera) else { continue }
                    linked.insert(subject.id)
                    try await link(subject, resolver: current, into: &summary)
                }
            }
            try await store.markRecordingsLinked(recordings.map(\.id))
            summary.recordings += recordings.count
        }
    }

    /// Every candidate link of one report, best first, without saving anything.
    public func candidates(for subject: LinkSubject, resolver: PlaceResolver) async throws -> (PlaceResolution, [EventLink], [MotionEvent]) {
        let resolution = resolver.resolve(subject.place)
        guard !resolution.cameras.isEmpty else { return (resolution, [], []) }
        let events = try await store.events(matching: EventQuery(
            cameras: resolution.cameras, from: subject.time.start.addingTimeInterval(-settings.marginSeconds),
            to: subject.time.end.addingTimeInterval(settings.marginSeconds)))
        let reach = settings.radiusMetres + (subject.place.uncertaintyMetres ?? 0)
        let links = events.map { event -> EventLink in
            let position = resolver.position(of: event.camera)
            let distance = resolution.point.flatMap { point in position.map { point.distance(to: $0) } }
            let gap = subject.time.gap(toEventFrom: event.start, to: event.end)
            let place = resolution.precision == .coordinates
                ? LinkScore.place(distanceMetres: distance ?? reach, reachMetres: reach) : LinkScore.place(resolution.precision)
            let score = LinkScore.combined(
                place: place, time: LinkScore.time(gapSeconds: gap, halfWidthSeconds: subject.time.halfWidthSeconds),
                strength: LinkScore.strength(peakScore: event.peakScore))
            let bearing = resolution.point.flatMap { point in position.map { point.bearing(to: $0) } }
            return EventLink(
                kind: subject.kind, reportID: subject.id, eventID: event.id, camera: event.camera, score: score,
                distanceMetres: distance.map { $0.rounded() }, gapSeconds: (gap * 1000).rounded() / 1000,
                reason: LinkScore.reason(camera: event.camera, precision: resolution.precision, distanceMetres: distance,
                                         bearing: bearing, gapSeconds: gap, approximate: subject.time.approximate != nil))
        }
        return (resolution, links.sorted { ($1.score, abs($0.gapSeconds)) < ($0.score, abs($1.gapSeconds)) }, events)
    }

    private func link(_ subject: LinkSubject, resolver: PlaceResolver, into summary: inout LinkSummary) async throws {
        let (changes, unresolvedText) = try await link(subject, resolver: resolver)
        summary.reports += 1
        summary.added += changes.added.count
        summary.updated += changes.updated
        summary.removed += changes.removed
        summary.kept += changes.kept
        if let unresolved = unresolvedText {
            summary.unresolved.append((subject.kind, subject.reference, unresolved))
        }
    }

    /// Links one report and saves the result (one transaction); the resolver is the caller's, so
    /// that many reports share one.
    public func link(_ subject: LinkSubject, resolver: PlaceResolver) async throws
        -> (changes: LinkChanges, unresolvedText: String?)
    {
        let (resolution, links, events) = try await candidates(for: subject, resolver: resolver)
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let alerts = self.alerts
        let plan = try await store.saveLinks(for: subject, resolution: resolution) { stored in
            var plan = LinkPlan(stored: stored, proposed: links)
            if subject.alertsOnNewLinks {
                plan.alerts = plan.added.flatMap { link -> [NewAlert] in
                    guard let event = byID[link.eventID] else { return [] }
                    return alerts(IncidentLinkNotice(incidentReference: subject.reference, category: subject.label, link: link,
                                                     event: event))
                }
            }
            return plan
        }
        return (plan.changes, resolution.isUnresolved ? resolution.unresolvedText ?? "" : nil)
    }
}
