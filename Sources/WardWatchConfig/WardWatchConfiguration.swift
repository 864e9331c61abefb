import Foundation
import Motion

/// Everything `Config/wardwatch.yaml` can say, with the defaults that apply when it says nothing.
public struct WardWatchConfiguration: Sendable, Equatable {
    /// The SQLite catalog file; stills live in a folder beside it.
    public var catalogPath: String?
    /// The ward's zone: file-name timestamps and local times are read and shown in it.
    public var timeZone: TimeZone
    public var indexing: Indexing
    public var detection: MotionSettings
    /// The ward's cameras, in file order.
    public var cameras: [CameraConfiguration]
    public var daemon: DaemonConfiguration
    public var alerts: [AlertRule]
    /// The Ed25519 key file that signs evidence bundles; nil = `wardwatch-signing.key` in the
    /// working folder.
    public var signingKeyPath: String?
    /// Keys, besides a bundle's own, that may sign its custody hand-offs: public-key files or
    /// fingerprints (`evidence.trusted_keys`).
    public var trustedKeys: [String] = []
    /// How `retention_days` is enforced.
    public var retention = RetentionConfiguration()

    public struct RetentionConfiguration: Sendable, Equatable {
        /// Delete the recording files too, not only their catalog rows (off unless the ward says so).
        public var deleteRecordings = false
        /// Seconds between the daemon's retention passes.
        public var intervalSeconds: Double = 3600

        public init() {}
    }
    public var linking: LinkingConfiguration

    public struct Indexing: Sendable, Equatable {
        /// Decoder threads per recording; 0 = one per core.
        public var decoderThreads: Int = 0
        /// Skip the deblocking filter while scanning (faster; stills slightly blockier).
        public var fastDecode: Bool = true
        /// Width of the analysis grid in cells.
        public var gridColumns: Int = 160
        /// Analyse at most this many frames per second (0 = every frame); all frames are still decoded.
        public var analysisFPS: Double = 15
        /// Maximum width of event stills in pixels.
        public var stillMaxWidth: Int = 640
        /// strftime-like pattern for start times in file names (`%Y%m%d_%H%M%S`).
        public var fileNamePattern: String? = "%Y%m%d_%H%M%S"

        public init() {}
    }

    public init(catalogPath: String? = nil, timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!,
                indexing: Indexing = Indexing(), detection: MotionSettings = MotionSettings(),
                cameras: [CameraConfiguration] = [], daemon: DaemonConfiguration = DaemonConfiguration(),
                alerts: [AlertRule] = [], signingKeyPath: String? = nil,
                linking: LinkingConfiguration = LinkingConfiguration()) {
        self.catalogPath = catalogPath
        self.timeZone = timeZone
        self.indexing = indexing
        self.detection = detection
        self.cameras = cameras
        self.daemon = daemon
        self.alerts = alerts
        self.signingKeyPath = signingKeyPath
        self.linking = linking
    }

    /// The registry entry for a camera id, if configured.
    public func camera(_ id: String) -> CameraConfiguration? { cameras.first { $0.id == id } }
}

/// A problem in a configuration file: which file, line and key, and what to change.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// Dotted key path, e.g. `detection.min_area`.
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}
