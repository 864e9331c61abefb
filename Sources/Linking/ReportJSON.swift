import Catalog
import Foundation

/// Incidents, tips and links as JSON, shared by the command line and the HTTP API (the keys are
/// part of both interfaces). A tip's reporter contact is only ever included when the caller says
/// the reader may see it.
public struct IncidentItem: Encodable, Sendable {
    public var id: Int64
    public var reference: String
    public var category: String
    public var reported_at: String?
    public var time: TimeItem
    public var place: PlaceItem
    public var description: String
    public var status: String
    public var case_number: String?
    public var resolution: ResolutionItem?
    /// True when the place matched nothing in the registry (it links to nothing).
    public var unresolved: Bool

    public init(_ incident: Incident, zone: TimeZone) {
        id = incident.id
        reference = incident.reference
        category = incident.category
        reported_at = incident.reportedAt.map { Timestamp.format($0, in: zone) }
        time = TimeItem(incident.time, zone: zone)
        place = PlaceItem(incident.place)
        description = incident.description
        status = incident.status.rawValue
        case_number = incident.caseNumber
        resolution = incident.resolution.map(ResolutionItem.init)
        unresolved = incident.resolution?.isUnresolved ?? false
    }
}

public struct TipItem: Encodable, Sendable {
    public var id: Int64
    public var reference: String
    public var received_at: String?
    public var channel: String
    public var time: TimeItem
    public var place: PlaceItem
    public var description: String
    public var reliability: String
    public var incident: String?
    /// Present only for investigators and admins (or `--show-contacts`).
    public var reporter_contact: String?
    public var resolution: ResolutionItem?
    public var unresolved: Bool

    public init(_ tip: Tip, zone: TimeZone, showContact: Bool) {
        id = tip.id
        reference = tip.reference
        received_at = tip.receivedAt.map { Timestamp.format($0, in: zone) }
        channel = tip.channel
        time = TimeItem(tip.time, zone: zone)
        place = PlaceItem(tip.place)
        description = tip.description
        reliability = tip.reliability.rawValue
        incident = tip.incidentReference
        reporter_contact = showContact ? tip.reporterContact : nil
        resolution = tip.resolution.map(ResolutionItem.init)
        unresolved = tip.resolution?.isUnresolved ?? false
    }
}

/// The reported time: always a window; `at` and `uncertainty_min` when it was given as "t ± u".
public struct TimeItem: Encodable, Sendable {
    public var from: String
    public var to: String
    public var at: String?
    public var uncertainty_min: Double?

    init(_ time: ReportedTime, zone: TimeZone) {
        from = Timestamp.format(time.start, in: zone)
        to = Timestamp.format(time.end, in: zone)
        at = time.approximate.map { Timestamp.format($0, in: zone) }
        uncertainty_min = time.approximate.map { _ in (time.halfWidthSeconds / 60 * 100).rounded() / 100 }
    }
}

public struct PlaceItem: Encodable, Sendable {
    public var text: String?
    public var ward: String?
    public var street: String?
    public var latitude: Double?
    public var longitude: Double?
    public var radius_m: Double?

    init(_ place: ReportedPlace) {
        text = place.text
        ward = place.ward
        street = place.street
        latitude = place.point?.latitude
        longitude = place.point?.longitude
        radius_m = place.uncertaintyMetres
    }
}

public struct ResolutionItem: Encodable, Sendable {
    public var precision: String
    public var cameras: [String]
    public var latitude: Double?
    public var longitude: Double?
    public var unresolved_text: String?

    init(_ resolution: PlaceResolution) {
        precision = resolution.precision.rawValue
        cameras = resolution.cameras
        latitude = resolution.point.map { ($0.latitude * 1e6).rounded() / 1e6 }
        longitude = resolution.point.map { ($0.longitude * 1e6).rounded() / 1e6 }
        unresolved_text = resolution.unresolvedText
    }
}

/// One linked event, ranked: the camera, how far and how late, the score and why, the state, and
/// how to see it.
public struct LinkItem: Encodable, Sendable {
    public var event: Int64
    public var camera: String
    public var score: Double
    public var state: String
    public var reason: String
    public var distance_m: Double?
    /// Seconds from the reported time to the event (0 = at it; negative = before it).
    public var offset_s: Double
    public var decided_by: String?
    public var decided_at: String?
    public var start: String
    public var end: String
    public var peak_score: Double
    /// A file path (command line) or a URL (HTTP API).
    public var still: String?
    public var recording: Int64
    /// The recording's file (command line only).
    public var recording_path: String?
    public var recording_offset_s: Double

    public init(_ linked: LinkedEvent, zone: TimeZone, still: String?, recordingPath: String?) {
        let link = linked.link, event = linked.event
        self.event = event.id
        camera = link.camera
        score = link.score
        state = link.state.rawValue
        reason = link.reason
        distance_m = link.distanceMetres
        offset_s = link.gapSeconds
        decided_by = link.decidedBy
        decided_at = link.decidedAt.map { Timestamp.format($0, in: zone) }
        start = Timestamp.format(event.start, in: zone)
        end = Timestamp.format(event.end, in: zone)
        peak_score = (event.peakScore * 10000).rounded() / 10000
        self.still = still
        recording = event.recordingID
        recording_path = recordingPath
        recording_offset_s = (event.offsetSeconds * 1000).rounded() / 1000
    }
}

/// An incident with its ranked links and the tips that name it.
public struct IncidentDetail: Encodable, Sendable {
    public var incident: IncidentItem
    public var links: [LinkItem]
    public var tips: [TipItem]

    public init(incident: IncidentItem, links: [LinkItem], tips: [TipItem]) {
        self.incident = incident
        self.links = links
        self.tips = tips
    }
}

/// What an import did, row by row, and what linking made of it.
public struct ImportReport: Encodable, Sendable {
    public var rows: [Row]
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var links_added: Int
    /// References whose place matched nothing, with the text given.
    public var unresolved: [Unresolved]

    public struct Row: Encodable, Sendable {
        public var reference: String
        public var id: Int64
        public var outcome: String
    }

    public struct Unresolved: Encodable, Sendable {
        public var reference: String
        public var place: String
    }

    public init(references: [String], outcomes: [ImportOutcome], linksAdded: Int, unresolved: [Unresolved]) {
        rows = zip(references, outcomes).map { reference, outcome in
            let name = switch outcome {
            case .inserted: "inserted"
            case .updated: "updated"
            case .unchanged: "unchanged"
            }
            return Row(reference: reference, id: outcome.id, outcome: name)
        }
        inserted = rows.filter { $0.outcome == "inserted" }.count
        updated = rows.filter { $0.outcome == "updated" }.count
        unchanged = rows.filter { $0.outcome == "unchanged" }.count
        links_added = linksAdded
        self.unresolved = unresolved
    }
}
