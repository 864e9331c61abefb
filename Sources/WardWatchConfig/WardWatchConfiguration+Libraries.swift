import Alerts
import Catalog
import Foundation
import Ingest

// Each library owns its settings; the configuration file builds them here, at the top.

extension AlertPlanner {
    /// The alert rules of a configuration, over its camera registry and zones.
    public init(configuration: WardWatchConfiguration, stillsDirectory: String) {
        self.init(rules: configuration.alerts, cameras: configuration.cameras.map(\.camera),
                  cameraTimeZones: Dictionary(configuration.cameras.map { ($0.id, $0.timeZone) },
                                              uniquingKeysWith: { first, _ in first }),
                  timeZone: configuration.timeZone, stillsDirectory: stillsDirectory)
    }
}

extension WardWatchConfiguration {
    /// The cameras the daemon watches: those with a folder, with their file patterns.
    public var watchedCameras: [WatchedCamera] {
        cameras.map { camera in
            var watched = WatchedCamera(id: camera.id, folder: camera.folder, filePatterns: camera.filePatterns,
                                        expectedIntervalSeconds: camera.expectedIntervalSeconds)
            watched.indexFolder = camera.indexFolder
            watched.indexFilePatterns = camera.indexFilePatterns
            // Checked with its line when the file was read.
            watched.indexFileNamePattern = camera.indexFileNamePattern.flatMap { try? FileNameTimestamp(pattern: $0) }
            return watched
        }
    }

    /// The indexing settings of one camera: the global ones with its detection, zone and file-name pattern.
    public func indexSettings(for camera: CameraConfiguration) throws(ConfigurationError) -> IndexSettings {
        var settings = indexing
        settings.motion = camera.detection
        do throws(FileNameTimestampError) {
            settings.start = RecordingStartResolver(
                fileNamePattern: try camera.fileNamePattern.map { (pattern) throws(FileNameTimestampError) in
                    try FileNameTimestamp(pattern: pattern)
                }, timeZone: camera.timeZone)
        } catch {
            throw ConfigurationError(file: "configuration", key: "cameras.\(camera.id).file_name_pattern", message: error.description)
        }
        return settings
    }
}
