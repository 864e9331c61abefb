import Foundation

/// The operations WardWatch needs from a catalog, whatever database holds it.
///
/// Implementations are safe to share between tasks and keep every method atomic: a recording and
/// its events are committed together or not at all.
public protocol CatalogStore: RecordingStreamStore {
    /// The indexed recording with this content fingerprint, if any.
    func recording(fingerprint: String) throws -> Recording?

    /// The recording with this id, if any.
    func recording(id: Int64) throws -> Recording?

    /// Commits a recording and its events in one transaction. When a recording with the same
    /// fingerprint is already indexed, no recording or event is written and `inserted` is false.
    ///
    /// An event that continues across the boundary of two consecutive (or overlapping) files of
    /// the same camera is stored once: with `options.mergeGapSeconds` > 0, a new event within that
    /// gap of an existing event of another recording, where either touches its file's edge, is
    /// merged into the existing one (which keeps its id and its alerts).
    func commitIndexed(_ recording: NewRecording, events: [NewMotionEvent], options: CommitOptions) throws -> CommitResult

    /// The picture signature of the camera's latest recording that starts before `time`.
    func previousSignature(camera: String, before time: Date) throws -> [Float]?

    /// Queues alerts that belong to no commit (a camera gone silent). Ids already queued are ignored.
    func queueAlerts(_ alerts: [NewAlert]) throws

    /// Registers or updates cameras from the registry (place, coordinates).
    func saveCameras(_ cameras: [Camera]) throws

    // MARK: Daemon work state

    /// The file record for a path, if the daemon has seen it.
    func sourceFile(path: String) throws -> SourceFile?

    /// Records a newly seen file (or one whose size or time changed) as pending.
    func notePending(path: String, camera: String, sizeBytes: Int64, modified: Date) throws

    /// Marks a file as taken by a worker and counts the attempt; returns the attempt number.
    func markIndexing(path: String) throws -> Int

    /// Marks a file indexed as a copy of an already indexed recording.
    func markIndexed(path: String, recordingID: Int64) throws

    /// Puts a file back to pending without counting the attempt (shutdown interrupted it).
    func markInterrupted(path: String) throws

    /// Marks a file failed (or pending again while attempts remain) and queues `alerts` atomically.
    func markFailed(path: String, reason: String, final: Bool, alerts: [NewAlert]) throws

    /// After a crash: files left "indexing" go back to pending, the interrupted attempt not
    /// counted. Returns how many.
    func recoverInterruptedWork() throws -> Int

    /// When the daemon last saw a new file, per camera.
    func lastFileSeen() throws -> [String: Date]

    // MARK: Alert outbox

    /// Alerts not yet written to their log files, oldest first.
    func undeliveredAlerts(limit: Int) throws -> [PendingAlert]

    /// Marks alerts as written (after their lines were fsynced).
    func markDelivered(sequences: [Int64]) throws

    // MARK: Access and audit

    /// Adds a user with the hash of their token. Fails when the name exists.
    func addUser(_ user: User, tokenHash: String) throws

    /// Every user, revoked ones included.
    func users() throws -> [User]

    /// Revokes a user's token; returns false when there is no such active user.
    func revokeUser(name: String) throws -> Bool

    /// The active (not revoked) user holding the token with this hash.
    func user(tokenHash: String) throws -> User?

    /// Appends to the audit trail in one transaction, chaining each entry to the one before it.
    /// A busy server hands several requests' entries over at once, so they share one disk sync.
    /// - Parameter hash: SHA-256 (hex) of a text; the store has no cryptography of its own.
    @discardableResult
    func appendAudit(_ entries: [NewAuditEntry], hash: (String) -> String) throws -> [AuditEntry]

    /// Audit entries in order, optionally filtered.
    func auditEntries(actor: String?, action: String?, from: Date?, to: Date?) throws -> [AuditEntry]

    /// Per-camera counts and times for status reports.
    func cameraStatus() throws -> [CameraStatus]

    /// Events matching the query, in time order (then by id).
    func events(matching query: EventQuery) throws -> [MotionEvent]

    /// All cameras the catalog has seen.
    func cameras() throws -> [Camera]

    /// One page of events matching a search, with their cameras and recordings.
    /// - Throws: `CatalogError` with code `.invalidQuery` for a cursor from another query.
    func search(_ query: SearchQuery) throws -> SearchPage

    /// The event with this id, if any.
    func event(id: Int64) throws -> MotionEvent?

    /// The camera's recordings that overlap [from, to), in start order: the files a clip of that
    /// period is cut from.
    func recordings(camera: String, overlappingFrom from: Date, to: Date) throws -> [Recording]

    // MARK: Evidence custody and legal holds

    /// Stores a custody step and, in the same transaction, puts `holding` on legal hold for the
    /// record's case (an event already held for that case stays held once).
    @discardableResult
    func addCustodyRecord(_ record: NewCustodyRecord, holding eventIDs: [Int64]) throws -> CustodyRecord

    /// Custody steps in order, optionally of one case.
    func custodyRecords(caseID: String?) throws -> [CustodyRecord]

    /// True when the event is held for any case: retention must never delete it.
    func isOnLegalHold(eventID: Int64) throws -> Bool

    /// Every legal hold, by event then case, optionally of one case.
    func legalHolds(caseID: String?) throws -> [LegalHold]

    // MARK: Incidents, tips and their links

    /// Adds or updates incidents by reference, all in one transaction. A row identical to the stored
    /// one is not written; new and changed ones are marked to be linked again.
    /// - Returns: what happened to each row, in order.
    func importIncidents(_ incidents: [Incident]) throws -> [ImportOutcome]

    /// Adds or updates tips by reference, all in one transaction, like `importIncidents`.
    func importTips(_ tips: [Tip]) throws -> [ImportOutcome]

    /// Incidents matching the filter, by reported time (then id).
    func incidents(matching filter: ReportFilter) throws -> [Incident]

    /// Tips matching the filter, by reported time (then id).
    func tips(matching filter: ReportFilter) throws -> [Tip]

    /// The incident with this catalog id, if any.
    func incident(id: Int64) throws -> Incident?

    /// The incident with this reference number, if any.
    func incident(reference: String) throws -> Incident?

    /// Reports that are new or changed since they were last linked, oldest first.
    func reportsAwaitingLinks(limit: Int) throws -> [LinkSubject]

    /// Reports whose time, widened by `marginSeconds` on both sides, overlaps [from, to).
    func linkSubjects(overlappingFrom from: Date, to: Date, marginSeconds: Double) throws -> [LinkSubject]

    /// Replaces a report's suggested links with `links` and stores its place resolution, in one
    /// transaction. Confirmed and rejected links are never touched; for each suggested link that is
    /// new, `alerts` are queued in the same transaction. Clears the report's "awaiting links" mark.
    @discardableResult
    func saveLinks(_ links: [EventLink], for subject: LinkSubject, resolution: PlaceResolution,
                   alerts: (EventLink) -> [NewAlert]) throws -> LinkChanges

    /// A report's links with their events, best score first.
    func linkedEvents(kind: ReportKind, reportID: Int64) throws -> [LinkedEvent]

    /// Confirms or rejects a link; returns false when the report has no link to that event.
    func decideLink(kind: ReportKind, reportID: Int64, eventID: Int64, state: LinkState, by person: String) throws -> Bool

    /// Recordings committed while reports existed and not yet looked at by linking, oldest first.
    func recordingsAwaitingLinks(limit: Int) throws -> [Recording]

    /// Marks recordings as looked at by linking.
    func markRecordingsLinked(_ ids: [Int64]) throws
}

extension CatalogStore {
    /// Every legal hold, of every case.
    public func legalHolds() throws -> [LegalHold] { try legalHolds(caseID: nil) }
}

/// The outcome of `commitIndexed`.
public struct CommitResult: Sendable, Equatable {
    public var recording: Recording
    public var events: [MotionEvent]
    /// False when the recording was already indexed (a second run, or a renamed copy).
    public var inserted: Bool

    public init(recording: Recording, events: [MotionEvent], inserted: Bool) {
        self.recording = recording
        self.events = events
        self.inserted = inserted
    }
}

/// What else happens in the transaction that commits a recording.
public struct CommitOptions {
    /// The daemon's file record to mark indexed, if any.
    public var source: String?
    /// Events of other recordings of the camera this close are merged across file boundaries (0 = never).
    public var mergeGapSeconds: Double
    /// Called with each newly stored event (id assigned); its alerts are queued atomically.
    public var alerts: (MotionEvent) -> [NewAlert]
    /// Alerts about the recording itself (health), queued atomically.
    public var recordingAlerts: [NewAlert]

    public init(source: String? = nil, mergeGapSeconds: Double = 0, alerts: @escaping (MotionEvent) -> [NewAlert] = { _ in [] },
                recordingAlerts: [NewAlert] = []) {
        self.source = source
        self.mergeGapSeconds = mergeGapSeconds
        self.alerts = alerts
        self.recordingAlerts = recordingAlerts
    }
}

extension CatalogStore {
    /// Appends one entry to the audit trail.
    @discardableResult
    public func appendAudit(_ entry: NewAuditEntry, hash: (String) -> String) throws -> AuditEntry {
        try appendAudit([entry], hash: hash)[0]
    }

    /// Commits without a daemon file record or alerts.
    public func commitIndexed(_ recording: NewRecording, events: [NewMotionEvent]) throws -> CommitResult {
        try commitIndexed(recording, events: events, options: CommitOptions())
    }
}
