import Foundation

/// When a reported thing happened, as the report gives it: a window ("between 22:00 and 23:00"),
/// or an instant with an uncertainty ("about 15:30, give or take 10 minutes").
public struct ReportedTime: Sendable, Equatable {
    /// The earliest and latest moments the report allows.
    public var start: Date
    public var end: Date
    /// The instant given for an approximate time; nil for a from–to window.
    public var approximate: Date?

    public init(from start: Date, to end: Date) {
        self.start = start
        self.end = end
        approximate = nil
    }

    public init(around instant: Date, uncertaintySeconds: Double) {
        start = instant.addingTimeInterval(-uncertaintySeconds)
        end = instant.addingTimeInterval(uncertaintySeconds)
        approximate = instant
    }

    /// The ± of an approximate time, or half the window.
    public var halfWidthSeconds: Double { end.timeIntervalSince(start) / 2 }

    /// Seconds from the reported time to the event, signed: 0 when the event covers the reported
    /// instant (or touches the window), positive when it starts after, negative when it ends before.
    public func gap(toEventFrom eventStart: Date, to eventEnd: Date) -> Double {
        let (from, to) = approximate.map { ($0, $0) } ?? (start, end)
        if eventStart > to { return eventStart.timeIntervalSince(to) }
        if eventEnd < from { return -from.timeIntervalSince(eventEnd) }
        return 0
    }
}

/// Where a reported thing happened, as the report gives it. Any part may be missing; coordinates,
/// when present, win over text.
public struct ReportedPlace: Sendable, Equatable {
    /// Free text: "ngã tư Nguyễn Trãi – Lê Lợi", "số 12 Trần Phú", "Nguyen Trai giao Le Loi".
    public var text: String?
    public var ward: String?
    public var street: String?
    public var point: GeoPoint?
    /// How far from `point` it may have been, in metres.
    public var uncertaintyMetres: Double?

    public init(text: String? = nil, ward: String? = nil, street: String? = nil, point: GeoPoint? = nil,
                uncertaintyMetres: Double? = nil) {
        self.text = text
        self.ward = ward
        self.street = street
        self.point = point
        self.uncertaintyMetres = uncertaintyMetres
    }

    /// The place as one line of text for people.
    public var summary: String {
        var parts = [text, street, ward].compactMap { $0 }.filter { !$0.isEmpty }
        if let point {
            parts.append(String(format: "%.5f,%.5f", point.latitude, point.longitude)
                + (uncertaintyMetres.map { String(format: " ±%.0f m", $0) } ?? ""))
        }
        return parts.joined(separator: ", ")
    }
}

/// How precisely a reported place was placed among the registry's cameras.
public enum PlacePrecision: String, Sendable, Codable, CaseIterable {
    /// Coordinates were given: cameras within the linking radius.
    case coordinates
    /// A house number on a street that a camera has.
    case address
    /// An intersection that a camera watches.
    case intersection
    /// Every camera on a named street.
    case street
    /// Every camera of a named ward.
    case ward
    /// Nothing in the registry matches; the place is kept as given and links to nothing.
    case unresolved
}

/// What a reported place resolved to, offline, against the camera registry.
public struct PlaceResolution: Sendable, Equatable {
    public var precision: PlacePrecision
    /// Camera ids, sorted.
    public var cameras: [String]
    /// The given coordinates, or the mean of the matching cameras' positions when they have any.
    public var point: GeoPoint?
    /// The text that matched nothing, for `.unresolved`.
    public var unresolvedText: String?

    public init(precision: PlacePrecision, cameras: [String], point: GeoPoint?, unresolvedText: String? = nil) {
        self.precision = precision
        self.cameras = cameras
        self.point = point
        self.unresolvedText = unresolvedText
    }

    public var isUnresolved: Bool { precision == .unresolved }
}

/// Whether an incident is still being worked on.
public enum IncidentStatus: String, Sendable, Codable, CaseIterable {
    case open, closed
}

/// An incident report from the ward police's own records: what, when and where.
public struct Incident: Sendable, Equatable {
    /// The catalog's id (0 before it is stored).
    public var id: Int64
    /// The external reference number, unique among incidents ("INC-2024-0712").
    public var reference: String
    public var category: String
    public var reportedAt: Date?
    public var time: ReportedTime
    public var place: ReportedPlace
    public var description: String
    public var status: IncidentStatus
    public var caseNumber: String?
    /// Set once the incident has been linked; nil while it waits.
    public var resolution: PlaceResolution?

    public init(id: Int64 = 0, reference: String, category: String, reportedAt: Date? = nil, time: ReportedTime,
                place: ReportedPlace, description: String = "", status: IncidentStatus = .open, caseNumber: String? = nil,
                resolution: PlaceResolution? = nil) {
        self.id = id
        self.reference = reference
        self.category = category
        self.reportedAt = reportedAt
        self.time = time
        self.place = place
        self.description = description
        self.status = status
        self.caseNumber = caseNumber
        self.resolution = resolution
    }
}

/// How useful a tip turned out to be, as rated by an investigator.
public enum TipReliability: String, Sendable, Codable, CaseIterable {
    case unrated, useful
    case notUseful = "not_useful"
}

/// A citizen's tip: received by phone, Zalo, the hotline or in person.
///
/// The reporter's contact is stored for investigators and admins only; it is never shown to
/// viewers, written to logs or alert lines, or exported.
public struct Tip: Sendable, Equatable {
    public var id: Int64
    /// The external id, unique among tips.
    public var reference: String
    public var receivedAt: Date?
    /// phone, zalo, hotline, in_person, email, web, other.
    public var channel: String
    public var time: ReportedTime
    public var place: ReportedPlace
    public var description: String
    public var reliability: TipReliability
    /// The reference of the incident the tip is about, if known (it may be imported later).
    public var incidentReference: String?
    public var reporterContact: String?
    public var resolution: PlaceResolution?

    public init(id: Int64 = 0, reference: String, receivedAt: Date? = nil, channel: String, time: ReportedTime,
                place: ReportedPlace, description: String = "", reliability: TipReliability = .unrated,
                incidentReference: String? = nil, reporterContact: String? = nil, resolution: PlaceResolution? = nil) {
        self.id = id
        self.reference = reference
        self.receivedAt = receivedAt
        self.channel = channel
        self.time = time
        self.place = place
        self.description = description
        self.reliability = reliability
        self.incidentReference = incidentReference
        self.reporterContact = reporterContact
        self.resolution = resolution
    }

    /// The tip as anyone below investigator may see it: without the reporter's contact.
    public var withoutContact: Tip {
        var copy = self
        copy.reporterContact = nil
        return copy
    }

    /// The channels an import accepts ("in person" is read as in_person).
    public static let channels = ["phone", "zalo", "hotline", "in_person", "email", "web", "facebook", "other"]
}

/// Incidents and tips are both reports: something seen at a place and time, linked to events.
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    case incident, tip
}

/// What happened to one row of an import.
public enum ImportOutcome: Sendable, Equatable {
    case inserted(id: Int64)
    case updated(id: Int64)
    /// Identical to what is stored: nothing was written.
    case unchanged(id: Int64)

    public var id: Int64 {
        switch self {
        case let .inserted(id), let .updated(id), let .unchanged(id): id
        }
    }
}

/// Which incidents or tips to list. Every field narrows; nil means any.
public struct ReportFilter: Sendable, Equatable {
    public var status: IncidentStatus?
    public var category: String?
    public var channel: String?
    /// Reports whose time overlaps [from, to).
    public var from: Date?
    public var to: Date?
    /// Words that must all start words of the description, place, category or reference
    /// (diacritics and case ignored).
    public var text: String?
    /// Tips about this incident reference.
    public var incidentReference: String?
    public var limit: Int?

    public init(status: IncidentStatus? = nil, category: String? = nil, channel: String? = nil, from: Date? = nil,
                to: Date? = nil, text: String? = nil, incidentReference: String? = nil, limit: Int? = nil) {
        self.status = status
        self.category = category
        self.channel = channel
        self.from = from
        self.to = to
        self.text = text
        self.incidentReference = incidentReference
        self.limit = limit
    }
}
