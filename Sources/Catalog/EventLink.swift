import Foundation

/// Where a link stands. Suggested links come and go as reports and footage change; a person's
/// decision (confirmed or rejected) is kept whatever relinking finds later.
public enum LinkState: String, Sendable, Codable, CaseIterable {
    case suggested, confirmed, rejected
}

/// A motion event that may show what a report describes, with why and how likely.
public struct EventLink: Sendable, Equatable {
    public var kind: ReportKind
    public var reportID: Int64
    public var eventID: Int64
    public var camera: String
    /// 0…1; see `LinkScore` in the Linking module for the formula.
    public var score: Double
    /// From the report's point to the camera, when both have positions.
    public var distanceMetres: Double?
    /// From the reported time to the event: 0 when the event covers it, positive after, negative before.
    public var gapSeconds: Double
    /// For people: "camera CAM07, 120 m north, event 4 min after the reported time".
    public var reason: String
    public var state: LinkState
    /// Who confirmed or rejected it, and when.
    public var decidedBy: String?
    public var decidedAt: Date?

    public init(kind: ReportKind, reportID: Int64, eventID: Int64, camera: String, score: Double, distanceMetres: Double?,
                gapSeconds: Double, reason: String, state: LinkState = .suggested, decidedBy: String? = nil,
                decidedAt: Date? = nil) {
        self.kind = kind
        self.reportID = reportID
        self.eventID = eventID
        self.camera = camera
        self.score = score
        self.distanceMetres = distanceMetres
        self.gapSeconds = gapSeconds
        self.reason = reason
        self.state = state
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// A link with its event and where to play it, for listings.
public struct LinkedEvent: Sendable, Equatable {
    public var link: EventLink
    public var event: MotionEvent
    public var recordingPath: String

    public init(link: EventLink, event: MotionEvent, recordingPath: String) {
        self.link = link
        self.event = event
        self.recordingPath = recordingPath
    }
}

/// What linking needs to know about a report (incident or tip), whatever its kind.
public struct LinkSubject: Sendable, Equatable {
    public var kind: ReportKind
    public var id: Int64
    public var reference: String
    public var time: ReportedTime
    public var place: ReportedPlace
    /// The incident's status (nil for a tip).
    public var status: IncidentStatus?
    /// The incident's category, or the tip's channel.
    public var label: String
    /// Counts the report's changes, so that links computed from an older version never clear the
    /// mark of a newer one.
    public var revision: Int64

    public init(kind: ReportKind, id: Int64, reference: String, time: ReportedTime, place: ReportedPlace,
                status: IncidentStatus?, label: String, revision: Int64 = 0) {
        self.kind = kind
        self.id = id
        self.reference = reference
        self.time = time
        self.place = place
        self.status = status
        self.label = label
        self.revision = revision
    }
}

/// What saving a report's links changed, in counts (see `LinkPlan`).
public struct LinkChanges: Sendable, Equatable {
    /// Suggested links that did not exist before.
    public var added: [EventLink]
    /// Suggested links whose score or reason changed.
    public var updated: Int
    /// Suggested links that no longer qualify and were dropped.
    public var removed: Int
    /// Confirmed or rejected links left exactly as they were.
    public var kept: Int

    public init(added: [EventLink] = [], updated: Int = 0, removed: Int = 0, kept: Int = 0) {
        self.added = added
        self.updated = updated
        self.removed = removed
        self.kept = kept
    }
}

/// A new suggested link on an open incident, for alert rules (no reporter contact ever reaches it).
public struct IncidentLinkNotice: Sendable, Equatable {
    public var incidentReference: String
    public var category: String
    public var link: EventLink
    public var event: MotionEvent

    public init(incidentReference: String, category: String, link: EventLink, event: MotionEvent) {
        self.incidentReference = incidentReference
        self.category = category
        self.link = link
        self.event = event
    }
}
