/// What a container says about a recording, before any frame is decoded.
public struct RecordingInfo: Sendable, Equatable {
    public var path: String
    /// FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var format: String
    /// Container duration in seconds, when the container states one.
    public var durationSeconds: Double?
    /// Overall bit rate in bits per second, when known.
    public var bitRate: Int64?
    /// Container-level tags (`creation_time`, `location`, `title`, ...), keys in lower case.
    public var tags: [String: String]
    public var video: VideoStreamInfo
    /// Number of audio streams (evidence exports keep them; detection ignores them).
    public var audioStreamCount: Int

    /// The recording's creation instant as the container (or its video stream) tags it, raw.
    public var creationTimeTag: String? {
        tags["creation_time"] ?? video.tags["creation_time"]
    }

    /// An ISO 6709 location string ("+21.0285+105.8542/") from the container tags, if any.
    public var locationTag: String? {
        tags["location"] ?? tags["location-eng"] ?? tags["com.apple.quicktime.location.iso6709"]
    }
}

/// The video stream that detection reads.
public struct VideoStreamInfo: Sendable, Equatable {
    public var index: Int
    /// Codec short name: "h264", "hevc", "mjpeg".
    public var codec: String
    public var profile: String?
    public var width: Int
    public var height: Int
    /// Average frame rate (frames per second), when known. Variable-frame-rate files report their mean.
    public var averageFrameRate: Double?
    /// The stream's time base as "num/den"; presentation timestamps count in these units.
    public var timeBase: String
    public var frameCount: Int?
    public var pixelFormat: String?
    /// Median distance between keyframes in seconds, from the container index or the first packets.
    public var keyframeIntervalSeconds: Double?
    /// Stream-level tags (`creation_time`, `handler_name`, ...).
    public var tags: [String: String]
}
