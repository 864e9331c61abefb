import Alerts
import Catalog
import Foundation
import Ingest
import Linking
import Motion

/// Everything `Config/wardwatch.yaml` can say, with the defaults that apply when it says nothing.
public struct WardWatchConfiguration: Sendable, Equatable {
    /// The SQLite catalog file; stills live in a folder beside it.
    public var catalogPath: String?
    /// The ward's zone: file-name timestamps and local times are read and shown in it.
    public var timeZone: TimeZone
    /// Decoding and detection for indexing (Ingest's settings); the file-name pattern is read in `timeZone`.
    public var indexing: IndexSettings
    /// The global detection settings (cameras may override them).
    public var detection: MotionSettings {
        get { indexing.motion }
        set { indexing.motion = newValue }
    }
    /// The ward's cameras, in file order.
    public var cameras: [CameraConfiguration]
    public var daemon: DaemonSettings
    public var alerts: [AlertRule]
    /// The Ed25519 key file that signs evidence bundles; nil = `wardwatch-signing.key` in the
    /// working folder.
    public var signingKeyPath: String?
    /// Keys, besides a bundle's own, that may sign its custody hand-offs: public-key files or
    /// fingerprints (`evidence.trusted_keys`).
    public var trustedKeys: [String] = []
    /// Where signed audit checkpoints are appended (`evidence.anchor_file`); nil = only to the alert logs.
    public var anchorPath: String?
    /// Seconds between audit checkpoints written by `serve` and `run` (`evidence.checkpoint_interval`); 0 = only at exports.
    public var checkpointIntervalSeconds: Double = 3600
    /// How `retention_days` is enforced.
    public var retention = RetentionConfiguration()

    public struct RetentionConfiguration: Sendable, Equatable {
        /// Delete the recording files too, not only their catalog rows (off unless the ward says so).
        public var deleteRecordings = false
        /// Seconds between the daemon's retention passes.
        public var intervalSeconds: Double = 3600

        public init() {}
    }
    public var linking: LinkSettings
    /// The ward's own map tile server for the console (`ui.tile_url`, "{z}/{x}/{y}" template); nil =
    /// the console draws its map from camera coordinates only and asks nothing of any other server.
    public var tileURL: String?
    /// What `wardwatch serve` needs beyond the catalog (the `http:` section).
    public var http = HTTPServerConfiguration()
    /// A shared PostgreSQL catalog instead of the SQLite file (the `postgres:` section).
    public var postgres: SharedCatalogConfiguration?

    public init(catalogPath: String? = nil, timeZone: TimeZone = .wardDefault,
                indexing: IndexSettings = IndexSettings(), detection: MotionSettings = MotionSettings(),
                cameras: [CameraConfiguration] = [], daemon: DaemonSettings = DaemonSettings(),
                alerts: [AlertRule] = [], signingKeyPath: String? = nil,
                linking: LinkSettings = LinkSettings()) {
        self.catalogPath = catalogPath
        self.timeZone = timeZone
        self.indexing = indexing
        self.indexing.motion = detection
        self.indexing.start.timeZone = timeZone
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
