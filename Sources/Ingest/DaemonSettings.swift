import Foundation

/// How the daemon schedules work.
public struct DaemonSettings: Sendable, Equatable {
    /// Recordings indexed at once; 0 = one per core.
    public var workers: Int
    /// Seconds between folder scans.
    public var pollIntervalSeconds: Double
    /// A file counts as complete once its size and modification time have not changed for this long.
    public var settleSeconds: Double
    /// Failed recordings are retried up to this many attempts in all.
    public var maxAttempts: Int
    /// A file whose indexing the daemon process died in (a crash, not a clean stop) this many times is
    /// quarantined: failed, with a health alert, not retried until it changes.
    public var maxCrashes: Int
    /// A health alert is raised when a camera's indexing trails its recorder by more than this many
    /// seconds (since the recorder finished the oldest file not yet indexed); nil = never.
    public var maxLagSeconds: Double?
    /// Which waiting files go first.
    public var order: WorkOrder = .oldestFirst

    /// The order in which waiting recordings are indexed.
    public enum WorkOrder: String, Sendable, CaseIterable {
        /// Oldest first: catch up in time order (every event is found, in order).
        case oldestFirst = "oldest_first"
        /// Newest first: what happens now is indexed first; the backlog fills in behind.
        case newestFirst = "newest_first"
    }

    public init(workers: Int = 0, pollIntervalSeconds: Double = 5, settleSeconds: Double = 10, maxAttempts: Int = 3,
                maxCrashes: Int = 3) {
        self.workers = workers
        self.pollIntervalSeconds = pollIntervalSeconds
        self.settleSeconds = settleSeconds
        self.maxAttempts = maxAttempts
        self.maxCrashes = maxCrashes
    }
}

/// A camera whose folder the daemon watches.
public struct WatchedCamera: Sendable, Equatable {
    public var id: String
    /// Folder the recorder writes this camera's files into; nil = not watched.
    public var folder: String?
    /// Which files in the folder are recordings (shell globs on the file name).
    public var filePatterns: [String]
    /// Recordings should arrive at least this often; longer silence raises a health alert.
    public var expectedIntervalSeconds: Double?
    /// The camera's sub-stream folder: when set, motion is indexed from it and `folder` holds the
    /// main stream, whose files are attached to the sub-stream's events.
    public var indexFolder: String?
    /// Which files in `indexFolder` are recordings.
    public var indexFilePatterns: [String] = []
    /// Start times in sub-stream file names.
    public var indexFileNamePattern: FileNameTimestamp?

    public init(id: String, folder: String?, filePatterns: [String], expectedIntervalSeconds: Double? = nil) {
        self.id = id
        self.folder = folder
        self.filePatterns = filePatterns
        self.expectedIntervalSeconds = expectedIntervalSeconds
    }
}
