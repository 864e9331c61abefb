import Foundation

/// One step in the chain of custody of an evidence bundle, as the catalog remembers it.
///
/// The bundle carries its own signed custody log; the catalog keeps a copy of each step so that
/// the ward can answer "what did we hand out, to whom, and why" without the bundle in hand.
public struct CustodyRecord: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    /// The investigator's case reference, as typed at export.
    public var caseID: String
    public var action: CustodyAction
    /// Who did it: the exporting operator, or the person handing the bundle on.
    public var actor: String
    /// Who received the bundle (hand-offs only).
    public var recipient: String?
    public var reason: String
    /// Where the bundle was written (a folder or a .zip), as given at the time.
    public var bundlePath: String
    /// SHA-256 (hex) of the bundle's manifest.json: ties this record to one exact bundle.
    public var manifestSHA256: String
    /// The events the bundle holds.
    public var eventIDs: [Int64]

    public init(id: Int64, time: Date, caseID: String, action: CustodyAction, actor: String, recipient: String?,
                reason: String, bundlePath: String, manifestSHA256: String, eventIDs: [Int64]) {
        self.id = id
        self.time = time
        self.caseID = caseID
        self.action = action
        self.actor = actor
        self.recipient = recipient
        self.reason = reason
        self.bundlePath = bundlePath
        self.manifestSHA256 = manifestSHA256
        self.eventIDs = eventIDs
    }
}

/// What happened to a bundle.
public enum CustodyAction: String, Sendable, Codable, CaseIterable {
    /// The bundle was made from the catalog.
    case export
    /// The bundle passed from one person to another.
    case handoff
}

/// A custody record before the catalog numbers and times it.
public struct NewCustodyRecord: Sendable, Equatable {
    public var time: Date
    public var caseID: String
    public var action: CustodyAction
    public var actor: String
    public var recipient: String?
    public var reason: String
    public var bundlePath: String
    public var manifestSHA256: String
    public var eventIDs: [Int64]

    public init(time: Date, caseID: String, action: CustodyAction, actor: String, recipient: String? = nil,
                reason: String, bundlePath: String, manifestSHA256: String, eventIDs: [Int64]) {
        self.time = time
        self.caseID = caseID
        self.action = action
        self.actor = actor
        self.recipient = recipient
        self.reason = reason
        self.bundlePath = bundlePath
        self.manifestSHA256 = manifestSHA256
        self.eventIDs = eventIDs
    }
}

/// An event that must be kept: it was exported as evidence for a case.
///
/// Retention (not enforced yet) must skip held events; the SQLite catalog also refuses to delete
/// them, so a future clean-up that forgets to ask still cannot remove evidence.
public struct LegalHold: Sendable, Equatable {
    public var eventID: Int64
    public var caseID: String
    public var placed: Date
    /// The custody record (export) that placed the hold.
    public var custodyID: Int64

    public init(eventID: Int64, caseID: String, placed: Date, custodyID: Int64) {
        self.eventID = eventID
        self.caseID = caseID
        self.placed = placed
        self.custodyID = custodyID
    }
}
