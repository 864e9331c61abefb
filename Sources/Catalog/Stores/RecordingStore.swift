import Foundation

/// Indexed recordings and their events: what the indexer commits and what clips are cut from.
///
/// Every method is atomic: a recording and its events are committed together or not at all.
public protocol RecordingStore: Sendable {
    /// The indexed recording with this content fingerprint, if any.
    func recording(fingerprint: String) async throws -> Recording?

    /// The recording with this id, if any.
    func recording(id: Int64) async throws -> Recording?

    /// The camera's recordings that overlap [from, to), in start order: the files a clip of that
    /// period is cut from.
    func recordings(camera: String, overlappingFrom from: Date, to: Date) async throws -> [Recording]

    /// The picture signature of the camera's latest recording that starts before `time`.
    func previousSignature(camera: String, before time: Date) async throws -> [Float]?

    /// Commits a recording and its events in one transaction. When a recording with the same
    /// fingerprint is already indexed, no recording or event is written and `inserted` is false.
    ///
    /// With `options.merge`, the store fetches, in the same transaction, the camera's stored events
    /// of other recordings within `options.merge.window(for: events)` (each with its recording's
    /// bounds), and writes what `options.merge.place` decides: new events are inserted, merged ones
    /// rewrite the existing event in place (same id, so its links and alerts stay). The store decides
    /// nothing itself. Without `options.merge`, every event is inserted.
    /// After the events: alerts for each inserted event (`options.alerts`) and the recording's own
    /// alerts are queued, and the daemon's file record `options.source` is marked indexed — all in
    /// the same transaction. Commits of one camera must not interleave between reading the neighbours
    /// and writing (SQLite has one writer; a server database takes a lock per camera), or two adjacent
    /// files committed at once would not merge.
    func commitIndexed(_ recording: NewRecording, events: [NewMotionEvent], options: CommitOptions) async throws -> CommitResult

    /// Notes (or, with nil, clears) why the file at a recording's path is no longer the one indexed, and
    /// queues `alerts` in the same transaction. `status` reports such recordings as unhealthy.
    func recordSourceProblem(recordingID: Int64, problem: String?, alerts: [NewAlert]) async throws
}

extension RecordingStore {
    /// Commits without a daemon file record, merging or alerts.
    public func commitIndexed(_ recording: NewRecording, events: [NewMotionEvent]) async throws -> CommitResult {
        try await commitIndexed(recording, events: events, options: CommitOptions())
    }
}

/// The outcome of `commitIndexed`.
public struct CommitResult: Sendable, Equatable {
    public var recording: Recording
    /// The events inserted for this recording (events merged into another recording's are not listed).
    public var events: [MotionEvent]
    /// False when the recording was already indexed (a second run, or a renamed copy).
    public var inserted: Bool
    /// The recording this one replaced (its file grew at the same path; see `GrownRecording`), if any.
    public var replaced: Int64?

    public init(recording: Recording, events: [MotionEvent], inserted: Bool) {
        self.recording = recording
        self.events = events
        self.inserted = inserted
    }
}

/// What else happens in the transaction that commits a recording.
public struct CommitOptions: Sendable {
    /// The daemon's file record to mark indexed, if any.
    public var source: String?
    /// How events continue across file boundaries; nil stores every event as it comes.
    public var merge: EventMerge?
    /// Called with each newly stored event (id assigned); its alerts are queued atomically.
    public var alerts: @Sendable (MotionEvent) -> [NewAlert]
    /// Alerts about the recording itself (health), queued atomically.
    public var recordingAlerts: [NewAlert]
    /// Replace the camera's recording of the same path that this file grew from (`GrownRecording`): its events
    /// are rewritten in place where the new ones continue them, the rest removed (held ones kept), and the old
    /// recording deleted, all in the commit's transaction. The daemon asks for it.
    public var replaceGrownFile = false

    /// - Parameter mergeGapSeconds: events of other recordings of the camera this close are merged
    ///   across file boundaries (0 = never); see `EventMerge`.
    public init(source: String? = nil, mergeGapSeconds: Double = 0,
                alerts: @escaping @Sendable (MotionEvent) -> [NewAlert] = { _ in [] }, recordingAlerts: [NewAlert] = []) {
        self.source = source
        self.merge = mergeGapSeconds > 0 ? EventMerge(gapSeconds: mergeGapSeconds) : nil
        self.alerts = alerts
        self.recordingAlerts = recordingAlerts
    }
}
