import CFFmpeg

/// One compressed video packet as a recording stores it: enough to show that a clip carries the same
/// bytes as its source, in the same order, without decoding anything.
public struct VideoPacket: Sendable, Equatable {
    /// Presentation timestamp in the stream's time base, when the container gives one.
    public var pts: Int64?
    /// Decoding timestamp in the stream's time base, when the container gives one.
    public var dts: Int64?
    /// Duration in the stream's time base (0 when unknown).
    public var duration: Int64
    public var isKeyframe: Bool
    /// Presentation time in seconds from the stream's first frame (its start_time).
    public var time: Double
    public var size: Int
    /// SHA-256 of the packet's bytes.
    public var sha256: [UInt8]

    public init(pts: Int64?, dts: Int64?, duration: Int64, isKeyframe: Bool, time: Double, size: Int,
                sha256: [UInt8]) {
        self.pts = pts
        self.dts = dts
        self.duration = duration
        self.isKeyframe = isKeyframe
        self.time = time
        self.size = size
        self.sha256 = sha256
    }
}

/// Reads the packets of a recording's best video stream in file (decoding) order, without decoding.
///
/// Used to check clips against their sources and to fingerprint footage packet by packet.
/// Not `Sendable`: one reader belongs to one task or thread.
public final class PacketReader {
    public let path: String
    /// Index of the video stream in the container.
    public let streamIndex: Int
    /// Seconds per timestamp unit of the video stream.
    public let timeBase: Double
    /// Timestamp of the stream's first frame (start_time), in the stream's time base.
    public private(set) var startTimestamp: Int64?

    private let input: InputFile
    private let packet: OwnedPacket
    private let hashing: Bool

    /// Opens `path` and selects its best video stream.
    /// - Parameter hashing: false leaves `sha256` empty, for scans that need only sizes and key flags.
    /// - Throws: `MediaIOError` naming the file when it is missing, unreadable or has no video.
    public init(path: String, hashing: Bool = true) throws(MediaIOError) {
        self.path = path
        self.hashing = hashing
        input = try InputFile(path: path)
        streamIndex = try input.bestVideoStreamIndex()
        packet = try OwnedPacket(path: path)
        let stream = input.stream(streamIndex)
        timeBase = stream.pointee.time_base.seconds ?? (1.0 / 90_000)
        let start = stream.pointee.start_time
        startTimestamp = start != cff_nopts() ? start : nil
    }

    /// The next video packet, or nil at the end of the file (or at a read error in a truncated tail).
    public func nextPacket() throws(MediaIOError) -> VideoPacket? {
        let raw = packet.pointer
        while av_read_frame(input.context, raw) >= 0 {
            defer { av_packet_unref(raw) }
            guard raw.pointee.stream_index == Int32(streamIndex) else { continue }
            let pts = raw.pointee.pts != cff_nopts() ? raw.pointee.pts : nil
            let dts = raw.pointee.dts != cff_nopts() ? raw.pointee.dts : nil
            let time = (pts ?? dts).map { stamp in
                if startTimestamp == nil { startTimestamp = stamp }
                return Double(stamp - (startTimestamp ?? 0)) * timeBase
            } ?? 0
            let size = Int(raw.pointee.size)
            guard hashing else {
                return VideoPacket(pts: pts, dts: dts, duration: raw.pointee.duration,
                                   isKeyframe: raw.pointee.flags & AV_PKT_FLAG_KEY != 0, time: time, size: size, sha256: [])
            }
            var digest = [UInt8](repeating: 0, count: 32)
            let hashed = digest.withUnsafeMutableBufferPointer { cff_sha256(raw.pointee.data, size, $0.baseAddress!) }
            guard hashed >= 0 else {
                throw MediaIOError(.outOfMemory, path: path, reason: "cannot allocate a SHA-256 context")
            }
            return VideoPacket(pts: pts, dts: dts, duration: raw.pointee.duration,
                               isKeyframe: raw.pointee.flags & AV_PKT_FLAG_KEY != 0, time: time, size: size,
                               sha256: digest)
        }
        return nil
    }

    /// Every video packet of the file at `path`, in file order.
    public static func videoPackets(path: String) throws(MediaIOError) -> [VideoPacket] {
        let reader = try PacketReader(path: path)
        var packets: [VideoPacket] = []
        while let next = try reader.nextPacket() { packets.append(next) }
        return packets
    }
}

/// An AVPacket owned by Swift code (empty, or holding a reference to a demuxer's buffer); freed in deinit.
final class OwnedPacket {
    let pointer: UnsafeMutablePointer<AVPacket>

    init(path: String) throws(MediaIOError) {
        guard let packet = av_packet_alloc() else {
            throw MediaIOError(.outOfMemory, path: path, reason: "cannot allocate a packet")
        }
        pointer = packet
    }

    /// A new reference to the same data and properties as `packet`.
    init(referencing packet: UnsafeMutablePointer<AVPacket>, path: String) throws(MediaIOError) {
        guard let copy = av_packet_clone(packet) else {
            throw MediaIOError(.outOfMemory, path: path, reason: "cannot keep a packet")
        }
        pointer = copy
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&doomed)
    }
}
