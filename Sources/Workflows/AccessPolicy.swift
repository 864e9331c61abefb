import Catalog
import Foundation

/// What a requester wants to do. The raw value is the audit trail's action name; a refusal is
/// recorded as that name followed by ".denied".
public enum AccessAction: String, Sendable, CaseIterable {
    case listCameras = "cameras"
    case search
    case viewEvent = "view"
    case viewStill = "still"
    case playClip = "clip"
    case exportEvidence = "export"
    case downloadBundle = "export.download"
    case listIncidents = "incidents"
    case viewIncident = "incident"
    case listTips = "tips"
    case importReports = "import"
    case confirmLink = "link.confirm"
    case rejectLink = "link.reject"
    /// Reading the reporter contacts of tips.
    case seeContacts = "contacts"
    case manageUsers = "users"
    case readAudit = "audit"
    case readCustody = "custody"

    /// The least role that may do it (each role includes the ones before it).
    public var minimumRole: AccessRole {
        switch self {
        case .listCameras, .search, .viewEvent, .viewStill, .listIncidents, .viewIncident, .listTips: .viewer
        case .playClip, .exportEvidence, .downloadBundle, .importReports, .confirmLink, .rejectLink, .seeContacts, .readCustody:
            .investigator
        case .manageUsers, .readAudit: .admin
        }
    }

    /// What a person reads in a refusal: "exporting evidence", "playing footage".
    var phrase: String {
        switch self {
        case .listCameras: "listing cameras"
        case .search: "searching footage"
        case .viewEvent: "viewing events"
        case .viewStill: "viewing stills"
        case .playClip: "playing footage"
        case .exportEvidence: "exporting evidence"
        case .downloadBundle: "evidence bundles"
        case .listIncidents: "listing incidents"
        case .viewIncident: "viewing incidents"
        case .listTips: "listing tips"
        case .importReports: "importing reports"
        case .confirmLink, .rejectLink: "deciding links"
        case .seeContacts: "reporter contacts"
        case .manageUsers: "managing users"
        case .readAudit: "reading the audit trail"
        case .readCustody: "reading the custody log"
        }
    }
}

/// What an action is done to, as far as access is concerned: where its footage or report is.
public enum AccessResource: Sendable {
    /// The action as such (its role), before any particular camera or report is known.
    case any
    /// A camera, or an event, recording or clip of it.
    case camera(Camera)
    /// Several cameras (an export, a bundle): every one must be allowed.
    case cameras([Camera])
    /// A ward named in a query.
    case ward(String)
    /// An incident or tip: where it was reported, where linking placed it, and the camera registry.
    case report(ReportedPlace, PlaceResolution?, registry: [Camera])
    /// A bundle whose footage is unknown to the catalog (no custody record names it).
    case unrecordedBundle
}

/// The policy's answer.
public enum AccessDecision: Sendable, Equatable {
    case allow
    case deny(AccessDenial)

    public var isAllowed: Bool { self == .allow }
}

/// A refusal: why, and the action the audit trail records for it.
public struct AccessDenial: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The requester's role is too low.
        case role
        /// The resource lies outside the requester's ward.
        case scope
    }

    public var kind: Kind
    public var action: AccessAction
    /// "clip.denied", "export.denied", …
    public var auditAction: String { action.rawValue + ".denied" }
    /// One sentence for the requester.
    public var reason: String

    public var description: String { reason }
}

/// Who may do what to which camera, event, report or bundle: the one place that decides. Every
/// HTTP route, console page and command asks it, and records its refusals in the audit trail.
///
/// Roles: viewers search and view events, stills, incidents and tips; investigators also play clips,
/// export evidence, import reports, decide links and read reporter contacts; admins also manage users
/// and read the audit trail. A requester limited to a ward reaches only cameras of that ward and the
/// reports placed there, and does not import (an import may update any ward's reports).
public struct AccessPolicy: Sendable {
    public init() {}

    /// Allows `action` on `resource` for `requester`, or says why not.
    public func decide(_ requester: Requester, _ action: AccessAction, _ resource: AccessResource) -> AccessDecision {
        guard requester.role >= action.minimumRole else {
            return .deny(AccessDenial(
                kind: .role, action: action,
                reason: "\(action.phrase) needs the \(action.minimumRole.rawValue) role; this token is a \(requester.role.rawValue)"))
        }
        guard let ward = requester.ward else { return .allow }
        func outside(_ what: String) -> AccessDecision {
            .deny(AccessDenial(kind: .scope, action: action, reason: "\(what) is outside this token's ward (\(ward))"))
        }
        if action == .importReports {
            return .deny(AccessDenial(
                kind: .scope, action: action,
                reason: "this token is limited to ward \(ward); imports need an unscoped investigator token or the command line"))
        }
        switch resource {
        case .any:
            return .allow
        case let .camera(camera):
            return admits(requester, camera) ? .allow : outside("camera \(camera.id)")
        case let .cameras(cameras):
            if let first = cameras.first(where: { !admits(requester, $0) }) { return outside("camera \(first.id)") }
            return .allow
        case let .ward(asked):
            let words = PlaceText.foldedWords(asked)
            if words == PlaceText.foldedWords(ward) || PlaceText.matches(words: words, in: ward) { return .allow }
            return .deny(AccessDenial(kind: .scope, action: action, reason: "this token is limited to ward \(ward)"))
        case let .report(place, resolution, registry):
            return admits(requester, place: place, resolution: resolution, registry: registry) ? .allow : outside("this report")
        case .unrecordedBundle:
            return outside("a bundle without a custody record")
        }
    }

    /// True when `requester` may see `camera`'s footage at all (for filtering lists).
    public func admits(_ requester: Requester, _ camera: Camera) -> Bool {
        guard let ward = requester.ward else { return true }
        var scope = SearchQuery()
        scope.wardScope = [ward]
        return scope.admits(camera)
    }

    /// A ward-limited requester sees a report when it names that ward, or when its place resolved to
    /// one of the ward's cameras. Unplaced reports are for unlimited requesters only.
    public func admits(_ requester: Requester, place: ReportedPlace, resolution: PlaceResolution?, registry: [Camera]) -> Bool {
        guard let ward = requester.ward else { return true }
        if let named = place.ward, PlaceText.foldedWords(named) == PlaceText.foldedWords(ward) { return true }
        let own = Set(registry.filter { admits(requester, $0) }.map(\.id))
        return resolution?.cameras.contains { own.contains($0) } ?? false
    }

    /// `query` limited to what `requester` may search: their ward only, when they have one.
    public func scoped(_ query: SearchQuery, for requester: Requester) -> SearchQuery {
        guard let ward = requester.ward else { return query }
        var scoped = query
        scoped.wardScope = [ward]
        return scoped
    }
}
