import Catalog
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

extension CameraConfiguration {
    /// The camera as the catalog registers it (place and position).
    public var camera: Camera {
        Camera(id: id, name: name, ward: ward, street: street, latitude: latitude, longitude: longitude)
    }
}
