import Catalog
import Foundation
import Linking

/// Whether reporter contacts are shown.
public enum ContactDisclosure: Sendable, Equatable {
    /// Never.
    case hidden
    /// When the policy lets the requester see them (the HTTP API: investigators do, viewers don't).
    case ifAllowed
    /// Asked for explicitly (the command line's --show-contacts): refused when not allowed, and
    /// audited under the action's name followed by ".contacts".
    case asked
}

/// An incident with the links and tips the requester may see.
public struct IncidentFile: Sendable {
    public var incident: Incident
    /// Best first.
    public var links: [LinkedEvent]
    public var tips: [Tip]
    /// True when `tips` carry reporter contacts.
    public var contactsShown: Bool
}

extension WardWorkflows {
    // MARK: - Import

    /// Stores incidents or tips (all rows or none), links what is new or changed, queues and
    /// delivers their alerts, and audits the import. Unlimited investigators and admins only.
    /// - Throws: `WorkflowError.denied`, `ImportProblems` (nothing stored), or a catalog error.
    public func importReports(_ kind: ReportKind, rows: [ImportRow], file: String, by requester: Requester) async throws
        -> ImportReport
    {
        try await authorize(requester, .importReports)
        let intake = ReportIntake(linker: linker, timeZone: settings.timeZone)
        let report = try await followUp.afterImport {
            kind == .incident ? try await intake.importIncidents(rows, file: file) : try await intake.importTips(rows, file: file)
        }
        try await audit.record(requester, "import.\(kind.rawValue)s",
                               detail: "\(file): \(report.inserted) inserted, \(report.updated) updated, \(report.unchanged) unchanged",
                               results: report.rows.count)
        return report
    }

    // MARK: - Reading

    /// Incidents the requester may see, by reported time. Audited.
    public func incidents(matching filter: ReportFilter, for requester: Requester) async throws -> [Incident] {
        try await authorize(requester, .listIncidents)
        let registry = try await cameraRegistry()
        let visible = try await scopedBeforeLimit(filter, for: requester) { try await store.incidents(matching: $0) }
            .filter { policy.admits(requester, place: $0.place, resolution: $0.resolution, registry: registry) }
            .prefix(filter.limit ?? .max).map { $0 }
        try await audit.record(requester, AccessAction.listIncidents.rawValue, results: visible.count)
        return visible
    }

    /// Tips the requester may see, by reported time. Audited.
    public func tips(matching filter: ReportFilter, contacts: ContactDisclosure, for requester: Requester) async throws
        -> (tips: [Tip], contactsShown: Bool)
    {
        try await authorize(requester, .listTips)
        let shown = try await discloses(contacts, to: requester)
        let registry = try await cameraRegistry()
        let visible = try await scopedBeforeLimit(filter, for: requester) { try await store.tips(matching: $0) }
            .filter { policy.admits(requester, place: $0.place, resolution: $0.resolution, registry: registry) }
            .prefix(filter.limit ?? .max).map { $0 }
        try await audit.record(requester, AccessAction.listTips.rawValue + (shown && contacts == .asked ? ".contacts" : ""),
                               results: visible.count)
        return (visible, shown)
    }

    /// An incident (by catalog id or reference), its links to cameras the requester may see, and
    /// its tips. Audited as "incident.view".
    public func incident(_ name: IncidentName, contacts: ContactDisclosure, for requester: Requester) async throws -> IncidentFile {
        let (incident, registry) = try await visibleIncident(name, action: .viewIncident, for: requester)
        let shown = try await discloses(contacts, to: requester)
        let links = try await store.linkedEvents(kind: .incident, reportID: incident.id)
        let tips = try await store.tips(matching: ReportFilter(incidentReference: incident.reference))
        let byID = Dictionary(registry.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let visibleLinks = links.filter { policy.admits(requester, byID[$0.link.camera] ?? Camera(id: $0.link.camera)) }
        let visibleTips = tips.filter { policy.admits(requester, place: $0.place, resolution: $0.resolution, registry: registry) }
        try await audit.record(requester, "incident.view" + (shown && contacts == .asked ? ".contacts" : ""),
                               detail: contacts == .asked ? incident.reference : nil, results: visibleLinks.count)
        return IncidentFile(incident: incident, links: visibleLinks, tips: visibleTips, contactsShown: shown)
    }

    // MARK: - Decisions

    /// A person's decision on a suggested link, which relinking never overwrites. Investigators
    /// and admins, for events they may see. Audited.
    /// - Parameter person: who decided, when not the requester (the command line's --by).
    public func decideLink(_ state: LinkState, incident name: IncidentName, eventID: Int64, person: String? = nil,
                           by requester: Requester) async throws -> (Incident, LinkedEvent)
    {
        let action: AccessAction = state == .confirmed ? .confirmLink : .rejectLink
        let (incident, registry) = try await visibleIncident(name, action: action, for: requester)
        // A link may point at a camera of a neighbouring ward: decide only what this requester may see.
        let existing = try await store.linkedEvents(kind: .incident, reportID: incident.id).first { $0.event.id == eventID }
        let missing = WorkflowError(.notFound, "incident \(incident.reference) has no link to event \(eventID)")
        guard let existing else { throw missing }
        try await authorizeNamed(requester, action, .camera(registry.first { $0.id == existing.link.camera } ?? Camera(id: existing.link.camera)),
                                 missing: missing)
        let decider = person ?? requester.name
        guard try await store.decideLink(kind: .incident, reportID: incident.id, eventID: eventID, state: state, by: decider),
              let decided = try await store.linkedEvents(kind: .incident, reportID: incident.id).first(where: { $0.event.id == eventID })
        else {
            throw missing
        }
        try await audit.record(requester, action.rawValue, detail: "incident=\(incident.reference) event=\(eventID) by=\(decider)",
                               results: 1)
        return (incident, decided)
    }

    // MARK: - Helpers

    /// The incident, when it exists and the policy lets the requester do `action` to it; another
    /// ward's incident is "no incident", as a missing one.
    func visibleIncident(_ name: IncidentName, action: AccessAction, for requester: Requester) async throws -> (Incident, [Camera]) {
        try await authorize(requester, action)
        let found: Incident?
        switch name {
        case let .id(id): found = try await store.incident(id: id)
        case let .reference(text):
            if let byReference = try await store.incident(reference: text) {
                found = byReference
            } else if let id = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text) {
                found = try await store.incident(id: id)
            } else {
                found = nil
            }
        }
        let registry = try await cameraRegistry()
        let missing = WorkflowError(.notFound, "no incident \(name)")
        guard let incident = found else { throw missing }
        try await authorizeNamed(requester, action, .report(incident.place, incident.resolution, registry: registry), missing: missing)
        return (incident, registry)
    }

    /// Reports matching `filter`, read so that the requester's ward is applied before `limit`: a
    /// ward-limited requester's reports are read without the limit (the caller filters, then cuts),
    /// so another ward's reports never take the places of their own.
    func scopedBeforeLimit<Report>(_ filter: ReportFilter, for requester: Requester,
                                   _ read: (ReportFilter) async throws -> [Report]) async throws -> [Report] {
        guard requester.ward != nil else { return try await read(filter) }
        var unlimited = filter
        unlimited.limit = nil
        return try await read(unlimited)
    }

    func discloses(_ contacts: ContactDisclosure, to requester: Requester) async throws -> Bool {
        switch contacts {
        case .hidden: return false
        case .ifAllowed: return policy.decide(requester, .seeContacts, .any).isAllowed
        case .asked:
            try await authorize(requester, .seeContacts)
            return true
        }
    }
}

/// An incident as a requester names it.
public enum IncidentName: Sendable, CustomStringConvertible {
    /// Its catalog id (the HTTP API's paths).
    case id(Int64)
    /// Its reference, or its catalog id written as "12" or "#12" (the command line).
    case reference(String)

    public var description: String {
        switch self {
        case let .id(id): String(id)
        case let .reference(text): "'\(text)'"
        }
    }
}
