import Catalog
import Foundation

/// What to put in an evidence bundle, for which case, and where to write it.
public struct ExportRequest: Sendable, Equatable {
    /// The footage to export.
    public enum Selection: Sendable, Equatable {
        /// These events, each with its own clip and still.
        case events([Int64])
        /// One camera from `from` to `to`, as one clip, with the stills of the events in that period.
        case cameraPeriod(camera: String, from: Date, to: Date)
    }

    public var selection: Selection
    /// The investigator's case reference; every custody record and hold carries it.
    public var caseID: String
    /// Why the footage leaves the ward (a request number, a warrant): recorded, never optional.
    public var reason: String
    /// Who exports ("cli:lan"), as the audit trail names them.
    public var actor: String
    /// A folder that does not exist yet (or is empty), or a file ending in ".zip".
    public var outputPath: String
    /// Footage before each event or period, in seconds.
    public var preRollSeconds: Double
    /// Footage after each event or period, in seconds.
    public var postRollSeconds: Double
    /// The ward's zone, for local times of cameras without their own.
    public var timeZone: TimeZone
    /// Per-camera zones from the registry.
    public var cameraTimeZones: [String: TimeZone]
    /// Written into metadata.json so a bundle names the software that made it.
    public var wardwatchVersion: String

    public init(selection: Selection, caseID: String, reason: String, actor: String, outputPath: String,
                preRollSeconds: Double = 5, postRollSeconds: Double = 5,
                timeZone: TimeZone = .wardDefault,
                cameraTimeZones: [String: TimeZone] = [:], wardwatchVersion: String) {
        self.selection = selection
        self.caseID = caseID
        self.reason = reason
        self.actor = actor
        self.outputPath = outputPath
        self.preRollSeconds = preRollSeconds
        self.postRollSeconds = postRollSeconds
        self.timeZone = timeZone
        self.cameraTimeZones = cameraTimeZones
        self.wardwatchVersion = wardwatchVersion
    }

    /// True when the bundle is written as one zip file.
    public var writesZip: Bool { outputPath.lowercased().hasSuffix(".zip") }

    func zone(for camera: String) -> TimeZone { cameraTimeZones[camera] ?? timeZone }
}

/// What an export wrote and recorded.
public struct ExportResult: Sendable, Equatable {
    /// The bundle: a folder or a .zip.
    public var outputPath: String
    /// SHA-256 of manifest.json: names this exact bundle in the catalog's custody record.
    public var manifestSHA256: String
    public var signer: EvidencePublicKey
    /// The files listed in the manifest.
    public var files: [BundleManifest.Entry]
    /// Events now on legal hold for the case.
    public var heldEventIDs: [Int64]
    /// The catalog's record of the export.
    public var custody: CustodyRecord
    public var metadata: EvidenceMetadata
}
