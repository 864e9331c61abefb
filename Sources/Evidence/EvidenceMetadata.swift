import Catalog
import Foundation

/// `metadata.json`: what the bundle shows and where it came from, for people and for tools.
///
/// Times are ISO 8601 with milliseconds: UTC ("…Z") and the camera's local time with its offset
/// ("…+07:00"). Source recordings are named by their path on the exporting machine and their
/// full-file SHA-256, so a court can match them against the originals.
public struct EvidenceMetadata: Codable, Sendable, Equatable {
    public static let formatName = "wardwatch-evidence/1"

    public var format: String = formatName
    public var caseID: String
    public var reason: String
    public var exportedBy: String
    public var exportedAt: String
    public var exportedAtLocal: String
    public var wardwatchVersion: String
    /// FFmpeg library versions that cut the clips ("libavformat 59.27.100, …").
    public var ffmpeg: String
    public var preRollSeconds: Double
    public var postRollSeconds: Double
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case format, reason, ffmpeg, items
        case caseID = "case"
        case exportedBy = "exported_by"
        case exportedAt = "exported_at"
        case exportedAtLocal = "exported_at_local"
        case wardwatchVersion = "wardwatch_version"
        case preRollSeconds = "pre_roll_s"
        case postRollSeconds = "post_roll_s"
    }

    /// One exported event, or one camera period.
    public struct Item: Codable, Sendable, Equatable {
        /// "event" or "range".
        public var kind: String
        /// A short name: "event 12" or "CAM01 08:30:00–08:31:00".
        public var title: String
        /// The camera and its place (ward, street, position) as the catalog knows it.
        public var camera: Camera
        /// The camera's zone (IANA name): local times are given in it.
        public var timeZone: String
        /// The period asked for, before the pre-roll and after the post-roll are added.
        public var from: Time
        public var to: Time
        /// The events shown (the exported event, or those that overlap the period).
        public var events: [Event]
        public var clip: Clip?
        /// Every recording the clip was cut from, with its full-file hash.
        public var sources: [Source]

        enum CodingKeys: String, CodingKey {
            case kind, title, camera, from, to, events, clip, sources
            case timeZone = "time_zone"
        }
    }

    /// One instant, in UTC and in the camera's local time.
    public struct Time: Codable, Sendable, Equatable {
        public var utc: String
        public var local: String
    }

    public struct Event: Codable, Sendable, Equatable {
        public var id: Int64
        public var start: Time
        public var end: Time
        public var peak: Time
        public var durationSeconds: Double
        public var score: Double
        public var area: Double
        /// Normalized motion box: x, y, width, height (0–1, origin top left).
        public var box: [Double]
        /// Relative path of the still in the bundle, when the catalog had one.
        public var still: String?
        /// Seconds from the clip's first frame to the event's start, when there is a clip.
        public var clipOffsetSeconds: Double?
        public var recordingID: Int64
        public var recordingPath: String
        /// Seconds from the recording's start to the event's start.
        public var recordingOffsetSeconds: Double
        /// "main" when the event plays from the camera's main stream, "sub" when its sub-stream
        /// stood in (no main recording for the time); absent in bundles made before streams existed.
        public var sourceStream: String? = nil

        enum CodingKeys: String, CodingKey {
            case id, start, end, peak, score, area, box, still
            case sourceStream = "source_stream"
            case durationSeconds = "duration_s"
            case clipOffsetSeconds = "clip_offset_s"
            case recordingID = "recording_id"
            case recordingPath = "recording_path"
            case recordingOffsetSeconds = "recording_offset_s"
        }
    }

    public struct Clip: Codable, Sendable, Equatable {
        public var path: String
        /// The clip's first frame: the keyframe at or before the requested start (period − pre-roll).
        public var start: Time
        public var end: Time
        /// The start asked for: the period's start minus the pre-roll.
        public var requestedStart: Time
        public var requestedEnd: Time
        /// Seconds of footage before the requested start (0 when a keyframe fell exactly on it).
        public var leadSeconds: Double
        public var durationSeconds: Double
        public var videoPackets: Int
        /// Recording paths the clip joins, in order.
        public var sources: [String]
        /// The stream the clip was cut from: "main", or "sub" when the main stream had no recording
        /// on disk for the period.
        public var sourceStream: String? = nil

        enum CodingKeys: String, CodingKey {
            case path, start, end, sources
            case sourceStream = "source_stream"
            case requestedStart = "requested_start"
            case requestedEnd = "requested_end"
            case leadSeconds = "lead_s"
            case durationSeconds = "duration_s"
            case videoPackets = "video_packets"
        }
    }

    public struct Source: Codable, Sendable, Equatable {
        public var path: String
        /// The whole file's SHA-256, computed at export time (after the clip was cut from it).
        public var sha256: String
        public var size: Int64
        public var recordingID: Int64
        public var start: Time
        public var durationSeconds: Double
        public var codec: String
        /// The SHA-256 stored when the recording was indexed; nil for recordings indexed before
        /// WardWatch stored one (bundles older than this field lack it too).
        public var sha256AtIndex: String?
        /// How `sha256` was checked: against the hash stored at index time, or not (none stored).
        public var sha256Check: String?

        static let matchesIndex = "matches the SHA-256 stored when the recording was indexed"
        static let noneAtIndex = "no SHA-256 was stored when this recording was indexed (indexed before WardWatch "
            + "stored one): computed at export time only, bound to the indexed file by its size and content fingerprint"

        enum CodingKeys: String, CodingKey {
            case path, sha256, size, start, codec
            case recordingID = "recording_id"
            case durationSeconds = "duration_s"
            case sha256AtIndex = "sha256_at_index"
            case sha256Check = "sha256_check"
        }
    }
}
