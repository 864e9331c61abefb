import Foundation

/// A recording file the daemon has seen in a camera folder, and how far its indexing got.
public struct SourceFile: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Seen, waiting to be complete or for a worker.
        case pending
        /// A worker took it. After a crash, restart puts it back to pending.
        case indexing
        /// Committed with its events (or found to be a copy of an indexed recording).
        case indexed
        /// Gave up after the configured attempts; `reason` says why.
        case failed
    }

    public var path: String
    public var camera: String
    public var sizeBytes: Int64
    public var modified: Date
    public var state: State
    public var reason: String?
    public var attempts: Int
    public var recordingID: Int64?
    /// Times the daemon process died while it held this file (crashes, not clean interruptions).
    public var crashes: Int = 0

    public init(path: String, camera: String, sizeBytes: Int64, modified: Date, state: State, reason: String?,
                attempts: Int, recordingID: Int64?) {
        self.path = path
        self.camera = camera
        self.sizeBytes = sizeBytes
        self.modified = modified
        self.state = state
        self.reason = reason
        self.attempts = attempts
        self.recordingID = recordingID
    }
}

extension SourceFile {
    /// This record with its crash count (stores read it from its own column).
    public func counting(crashes: Int) -> SourceFile {
        var copy = self
        copy.crashes = crashes
        return copy
    }
}

/// An alert line waiting in the catalog's outbox until it is written to its log file.
///
/// Alerts are created in the same transaction as the events (or failures) they report, so a
/// crash can never lose or duplicate one; the writer appends, fsyncs, then marks them delivered.
public struct NewAlert: Sendable, Equatable {
    /// Unique and deterministic ("night-motion/event-42"), so a retried write is recognised.
    public var alertID: String
    public var rule: String
    /// The log file the line goes to.
    public var log: String
    /// The complete line, without the newline.
    public var line: String

    public init(alertID: String, rule: String, log: String, line: String) {
        self.alertID = alertID
        self.rule = rule
        self.log = log
        self.line = line
    }
}

/// An alert read back from the outbox.
public struct PendingAlert: Sendable, Equatable {
    public var sequence: Int64
    public var alert: NewAlert

    public init(sequence: Int64, alert: NewAlert) {
        self.sequence = sequence
        self.alert = alert
    }
}

/// Per-camera figures for `wardwatch status`.
public struct CameraStatus: Sendable, Equatable {
    public var camera: String
    public var files: [SourceFile.State: Int]
    public var footageSeconds: Double
    public var eventCount: Int
    public var lastEvent: Date?
    /// End of the newest indexed recording.
    public var lastRecordingEnd: Date?
    /// When the daemon last saw a new file for this camera.
    public var lastFileSeen: Date?
    /// Picture problems of the newest indexed recording (black, frozen, view changed).
    public var lastRecordingHealth: [String] = []
    /// Recordings whose file is no longer the one indexed ("recording 12: …"), found by exports and clips.
    public var sourceProblems: [String] = []
    /// Files set aside after crashing the daemon process too often (counted in `files[.failed]` too).
    public var quarantined = 0

    public init(camera: String, files: [SourceFile.State: Int], footageSeconds: Double, eventCount: Int,
                lastEvent: Date?, lastRecordingEnd: Date?, lastFileSeen: Date?) {
        self.camera = camera
        self.files = files
        self.footageSeconds = footageSeconds
        self.eventCount = eventCount
        self.lastEvent = lastEvent
        self.lastRecordingEnd = lastRecordingEnd
        self.lastFileSeen = lastFileSeen
    }
}

/// What `recoverCrashedWork` found: files a crash of the daemon left in progress.
public struct RecoveredWork: Sendable, Equatable {
    /// Back to pending, the crash counted: the daemon retries each alone before anything else.
    public var resumed: [SourceFile]
    /// Crashed the process `maxCrashes` times: failed with a reason, a health alert queued, not retried
    /// until the file changes.
    public var quarantined: [SourceFile]

    public init(resumed: [SourceFile], quarantined: [SourceFile]) {
        self.resumed = resumed
        self.quarantined = quarantined
    }

    /// The reason a quarantined file carries.
    public static func quarantineReason(crashes: Int) -> String {
        "quarantined: the daemon process died \(crashes) times while indexing this file; it is not retried until the file "
            + "changes (replace or touch it to try again)"
    }
}
