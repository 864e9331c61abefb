import Foundation

/// A camera as the catalog knows it. Issue-level registry fields (ward, street, position) are
/// optional so that a bare `wardwatch index --camera CAM07` works before any registry exists.
public struct Camera: Sendable, Equatable, Codable {
    public var id: String
    public var name: String?
    public var ward: String?
    public var street: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String, name: String? = nil, ward: String? = nil, street: String? = nil,
                latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id
        self.name = name
        self.ward = ward
        self.street = street
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Where a recording's start instant came from, most to least trustworthy.
public enum StartSource: String, Sendable, Codable, CaseIterable {
    /// The container's `creation_time` tag.
    case container
    /// A timestamp in the file name, read with the configured pattern.
    case fileName = "filename"
    /// The file's modification time minus its duration (the camera finished writing at mtime).
    case modificationTime = "mtime"
}

/// A recording file that was indexed. Identified by content, not by path.
public struct Recording: Sendable, Equatable, Codable {
    public var id: Int64
    /// SHA-256 over the file size and sampled blocks of content (see `RecordingFingerprint`).
    public var fingerprint: String
    public var path: String
    public var camera: String
    public var start: Date
    public var startSource: StartSource
    public var durationSeconds: Double
    public var codec: String
    public var width: Int
    public var height: Int
    public var frameRate: Double?
    public var frameCount: Int
    public var sizeBytes: Int64
    public var latitude: Double?
    public var longitude: Double?
    public var indexedAt: Date
    /// Picture problems found while indexing ("black", "frozen", "view changed"); empty when healthy.
    public var health: [String] = []
    /// SHA-256 of the whole file, computed while it was indexed; nil for recordings indexed before
    /// WardWatch stored it (evidence export computes it then, and says so).
    public var sha256: String?
    /// Why the file at `path` is no longer the one indexed (found by an export or a clip), or nil.
    public var sourceProblem: String?
    /// The camera stream this file belongs to; `.main` for cameras that record one stream.
    public var stream: RecordingStream = .main

    public init(id: Int64, fingerprint: String, path: String, camera: String, start: Date, startSource: StartSource,
                durationSeconds: Double, codec: String, width: Int, height: Int, frameRate: Double?, frameCount: Int,
                sizeBytes: Int64, latitude: Double?, longitude: Double?, indexedAt: Date) {
        self.id = id
        self.fingerprint = fingerprint
        self.path = path
        self.camera = camera
        self.start = start
        self.startSource = startSource
        self.durationSeconds = durationSeconds
        self.codec = codec
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.frameCount = frameCount
        self.sizeBytes = sizeBytes
        self.latitude = latitude
        self.longitude = longitude
        self.indexedAt = indexedAt
    }

    public var end: Date { start.addingTimeInterval(durationSeconds) }
}

/// What the indexer hands the store for a new recording.
public struct NewRecording: Sendable, Equatable {
    public var fingerprint: String
    public var path: String
    public var camera: String
    public var start: Date
    public var startSource: StartSource
    public var durationSeconds: Double
    public var codec: String
    public var width: Int
    public var height: Int
    public var frameRate: Double?
    public var frameCount: Int
    public var sizeBytes: Int64
    public var latitude: Double?
    public var longitude: Double?
    /// Picture problems found while indexing; empty when healthy.
    public var health: [String] = []
    /// The time-averaged picture (a small grid), compared with the next recording to notice a moved view.
    public var signature: [Float]?
    /// SHA-256 of the whole file as it was decoded (hashed while decoding).
    public var sha256: String?
    /// The camera stream this file belongs to.
    public var stream: RecordingStream = .main

    public init(fingerprint: String, path: String, camera: String, start: Date, startSource: StartSource,
                durationSeconds: Double, codec: String, width: Int, height: Int, frameRate: Double?,
                frameCount: Int, sizeBytes: Int64, latitude: Double? = nil, longitude: Double? = nil) {
        self.fingerprint = fingerprint
        self.path = path
        self.camera = camera
        self.start = start
        self.startSource = startSource
        self.durationSeconds = durationSeconds
        self.codec = codec
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.frameCount = frameCount
        self.sizeBytes = sizeBytes
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A normalized box (0...1, origin top left) where motion happened.
public struct NormalizedBox: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// A motion event: absolute UTC instants plus where to find it in its recording.
public struct MotionEvent: Sendable, Equatable, Codable {
    public var id: Int64
    public var camera: String
    public var recordingID: Int64
    public var start: Date
    public var end: Date
    /// Seconds from the recording's start to the first moving frame.
    public var offsetSeconds: Double
    /// Playback window (pre-roll before, post-roll after), clamped to the recording.
    public var clipStart: Date
    public var clipEnd: Date
    public var peakTime: Date
    public var peakScore: Double
    public var meanScore: Double
    /// Largest fraction of the analysed area that changed in one frame.
    public var area: Double
    public var boundingBox: NormalizedBox
    /// Path of the JPEG still of the peak frame, relative to the catalog's stills folder.
    public var still: String?
    /// The stream `recordingID` (and so playback, clips and the still) belongs to: `.main`, or `.sub`
    /// when the main stream had no recording for the event's time.
    public var sourceStream: RecordingStream = .main
    /// The sub-stream recording the event was detected in, for a camera indexed from its sub-stream.
    public var detectedRecordingID: Int64?
    /// The cells of the picture that moved (nil for events indexed before footprints were stored).
    public var footprint: EventFootprint?
    /// The main moving object's centre about once a second (empty when unknown).
    public var path: [TravelPoint] = []

    /// Which way the main object crossed the picture, when it travelled far enough to tell.
    public var direction: TravelDirection? {
        TravelDirection.travel(of: path).flatMap { TravelDirection(dx: $0.dx, dy: $0.dy) }
    }

    public init(id: Int64, camera: String, recordingID: Int64, start: Date, end: Date, offsetSeconds: Double,
                clipStart: Date, clipEnd: Date, peakTime: Date, peakScore: Double, meanScore: Double, area: Double,
                boundingBox: NormalizedBox, still: String?) {
        self.id = id
        self.camera = camera
        self.recordingID = recordingID
        self.start = start
        self.end = end
        self.offsetSeconds = offsetSeconds
        self.clipStart = clipStart
        self.clipEnd = clipEnd
        self.peakTime = peakTime
        self.peakScore = peakScore
        self.meanScore = meanScore
        self.area = area
        self.boundingBox = boundingBox
        self.still = still
    }

    public var durationSeconds: Double { end.timeIntervalSince(start) }
}

/// What the indexer hands the store for a new event.
public struct NewMotionEvent: Sendable, Equatable {
    public var start: Date
    public var end: Date
    public var offsetSeconds: Double
    public var clipStart: Date
    public var clipEnd: Date
    public var peakTime: Date
    public var peakScore: Double
    public var meanScore: Double
    public var area: Double
    public var boundingBox: NormalizedBox
    public var still: String?
    /// The cells of the picture that moved.
    public var footprint: EventFootprint?
    /// The main moving object's centre about once a second, seconds counted from `start`.
    public var path: [TravelPoint] = []

    public init(start: Date, end: Date, offsetSeconds: Double, clipStart: Date, clipEnd: Date, peakTime: Date,
                peakScore: Double, meanScore: Double, area: Double, boundingBox: NormalizedBox, still: String?) {
        self.start = start
        self.end = end
        self.offsetSeconds = offsetSeconds
        self.clipStart = clipStart
        self.clipEnd = clipEnd
        self.peakTime = peakTime
        self.peakScore = peakScore
        self.meanScore = meanScore
        self.area = area
        self.boundingBox = boundingBox
        self.still = still
    }
}
