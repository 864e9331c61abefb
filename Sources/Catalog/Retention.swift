import Foundation

/// What a camera's `retention_days` allows to be removed, and the rule that legal holds win.
///
/// An event expires when it ended before the cutoff; a recording when its footage ended before
/// it. Held events are never removed, and neither is any recording one of them comes from
/// (its other expired events are). Recording files are removed only when the ward asked for it.
public enum Retention {
    /// The instant before which `days` of retention have passed at `now`.
    public static func cutoff(days: Int, now: Date) -> Date {
        now.addingTimeInterval(-Double(days) * 86_400)
    }

    /// Which of `candidates` may go.
    public static func plan(_ candidates: RetentionCandidates, deleteRecordingFiles: Bool) -> RetentionPlan {
        let heldRecordings = Set(candidates.events.filter(\.held).map(\.recordingID))
            .union(candidates.recordings.filter(\.hasHeldEvents).map(\.recording.id))
        let events = candidates.events.filter { !$0.held }
        let recordings = candidates.recordings.filter { !$0.hasHeldEvents && !heldRecordings.contains($0.recording.id) }
            .map(\.recording)
        return RetentionPlan(events: events, recordings: recordings,
                             recordingFiles: deleteRecordingFiles ? recordings.map(\.path) : [],
                             keptForHolds: heldRecordings.sorted())
    }
}

/// Expired rows of one camera, as the store found them.
public struct RetentionCandidates: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public var id: Int64
        public var recordingID: Int64
        /// The still's file name in the stills folder, if any.
        public var still: String?
        public var held: Bool

        public init(id: Int64, recordingID: Int64, still: String?, held: Bool) {
            self.id = id
            self.recordingID = recordingID
            self.still = still
            self.held = held
        }
    }

    public struct ExpiredRecording: Sendable, Equatable {
        public var recording: Recording
        /// Any of its events (expired or not) is on legal hold.
        public var hasHeldEvents: Bool

        public init(recording: Recording, hasHeldEvents: Bool) {
            self.recording = recording
            self.hasHeldEvents = hasHeldEvents
        }
    }

    public var events: [Event]
    public var recordings: [ExpiredRecording]

    public init(events: [Event], recordings: [ExpiredRecording]) {
        self.events = events
        self.recordings = recordings
    }
}

/// What one retention pass removes.
public struct RetentionPlan: Sendable, Equatable {
    public var events: [RetentionCandidates.Event]
    public var recordings: [Recording]
    /// Recording files to delete from disk (only with `retention.delete_recordings: true`).
    public var recordingFiles: [String]
    /// Expired recordings kept because they hold evidence.
    public var keptForHolds: [Int64]

    public init(events: [RetentionCandidates.Event], recordings: [Recording], recordingFiles: [String], keptForHolds: [Int64]) {
        self.events = events
        self.recordings = recordings
        self.recordingFiles = recordingFiles
        self.keptForHolds = keptForHolds
    }

    public var isEmpty: Bool { events.isEmpty && recordings.isEmpty }
}

/// The store's part of retention: finding expired rows and removing them with their audit entries.
public protocol RetentionStore: Sendable {
    /// Events of `camera` that ended before `cutoff`, and recordings whose footage ended before it.
    func retentionCandidates(camera: String, before cutoff: Date) async throws -> RetentionCandidates

    /// Removes the plan's events and recordings and appends `audit` in the same transaction. Held
    /// rows are refused by the catalog itself (triggers), whatever the plan says. A plan some of whose
    /// rows are already gone (another node applied the same pass) removes and audits nothing: returns [].
    func applyRetention(_ plan: RetentionPlan, audit: [NewAuditEntry], hash: @escaping @Sendable (String) -> String) async throws
        -> [AuditEntry]
}
