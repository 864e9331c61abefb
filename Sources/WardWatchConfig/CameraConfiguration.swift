import Foundation
import Motion

/// One camera of the ward's registry: where it is, where its recordings land, and how to read them.
public struct CameraConfiguration: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var ward: String?
    /// Street with house number or intersection ("số 12 Trần Phú", "ngã tư Nguyễn Trãi – Lê Lợi").
    public var street: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Where the camera looks, as a compass direction ("N", "NE", …) or degrees.
    public var viewDirection: String?
    /// Folder the recorder writes this camera's files into.
    public var folder: String?
    /// Which files in the folder are recordings (shell globs on the file name).
    public var filePatterns: [String]
    /// strftime-like pattern of the start time in file names; nil = the global one.
    public var fileNamePattern: String?
    public var timeZone: TimeZone
    /// Recordings should arrive at least this often; longer silence raises a health alert.
    public var expectedIntervalSeconds: Double?
    /// Footage and events older than this many days may be removed (never when on legal hold).
    public var retentionDays: Int?
    /// The global detection settings with this camera's overrides applied.
    public var detection: MotionSettings
    /// Folder of the camera's lower-resolution sub-stream. When set, motion is indexed from it, and
    /// `folder` holds the main stream that playback, clips, stills and evidence come from.
    public var indexFolder: String?
    /// Which files in `indexFolder` are recordings (shell globs on the file name).
    public var indexFilePatterns: [String] = CameraConfiguration.defaultFilePatterns
    /// strftime-like pattern of the start time in sub-stream file names; nil = the global one.
    public var indexFileNamePattern: String?

    public static let defaultFilePatterns = ["*.mp4", "*.mkv", "*.mov", "*.avi", "*.ts"]

    public init(id: String, timeZone: TimeZone, detection: MotionSettings) {
        self.id = id
        self.filePatterns = Self.defaultFilePatterns
        self.timeZone = timeZone
        self.detection = detection
    }
}

/// How the daemon schedules work.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Recordings indexed at once; 0 = one per core.
    public var workers: Int = 0
    /// Seconds between folder scans.
    public var pollIntervalSeconds: Double = 5
    /// A file counts as complete once its size and modification time have not changed for this long.
    public var settleSeconds: Double = 10
    /// Failed recordings are retried up to this many attempts in all.
    public var maxAttempts: Int = 3
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

    public init() {}
}

/// How far from a report, in space and time, linking looks for events.
public struct LinkingConfiguration: Sendable, Equatable {
    /// Cameras within this many metres of a reported point are candidates.
    public var radiusMetres: Double = 300
    /// Events this many seconds before or after the reported time are candidates too.
    public var marginSeconds: Double = 900

    public init() {}
}

/// A rule that turns matching events into lines of a log file.
public struct AlertRule: Sendable, Equatable {
    /// `incident`: a new suggested link between an open incident and a motion event.
    public enum Kind: String, Sendable, CaseIterable { case motion, health, incident }
    public enum Format: String, Sendable, CaseIterable { case json, text }

    public var name: String
    /// The log file lines are appended to.
    public var log: String
    public var format: Format = .json
    public var kinds: Set<Kind> = [.motion, .health]
    /// Empty lists match everything.
    public var cameras: [String] = []
    public var wards: [String] = []
    public var streets: [String] = []
    /// A local time-of-day window; it may cross midnight (22:00–05:00).
    public var timeOfDay: TimeWindow?
    public var minimumDurationSeconds: Double = 0
    public var minimumArea: Double = 0
    /// Picture regions (normalized polygons): an event matches when its motion box touches one.
    public var zones: [Polygon] = []

    public init(name: String, log: String) {
        self.name = name
        self.log = log
    }
}

/// A window of local clock time, in minutes after midnight; `start > end` crosses midnight.
public struct TimeWindow: Sendable, Equatable {
    public var startMinute: Int
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses "22:00-05:00" (also with an en dash or spaces).
    public init?(_ text: String) {
        let parts = text.replacingOccurrences(of: "–", with: "-").split(separator: "-")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = Self.minute(parts[0]), let end = Self.minute(parts[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    private static func minute(_ text: String) -> Int? {
        let pieces = text.split(separator: ":")
        guard pieces.count == 2, let hour = Int(pieces[0]), let minute = Int(pieces[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440 else { return nil }
        return hour * 60 + minute
    }

    /// Whether a minute of the day (0..<1440) falls inside the window.
    public func contains(minuteOfDay: Int) -> Bool {
        startMinute <= endMinute
            ? minuteOfDay >= startMinute && minuteOfDay < endMinute
            : minuteOfDay >= startMinute || minuteOfDay < endMinute
    }
}
