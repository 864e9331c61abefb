import CFFmpeg
import Foundation

/// How to decode: the knobs that trade picture fidelity for speed.
public struct DecoderOptions: Sendable, Equatable {
    /// Decoder threads. libavcodec's own default is 1; 0 means one per core.
    public var threads: Int
    /// Skip the H.264/HEVC in-loop deblocking filter: about 15% faster, and motion statistics on
    /// block means do not change measurably. Stills then show slightly blockier edges.
    public var skipLoopFilter: Bool
    /// Decode keyframes only (fast scans, health checks).
    public var keyframesOnly: Bool

    public init(threads: Int = 0, skipLoopFilter: Bool = false, keyframesOnly: Bool = false) {
        self.threads = threads
        self.skipLoopFilter = skipLoopFilter
        self.keyframesOnly = keyframesOnly
    }

    /// The thread count actually requested from libavcodec.
    var resolvedThreads: Int32 {
        Int32(clamping: threads > 0 ? min(threads, 64) : ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// Decodes the video stream of one recording, frame by frame, in presentation order.
///
/// Not `Sendable`: one decoder belongs to one task or thread. Frames come out as `DecodedFrame`,
/// which owns its picture until released, so a caller can keep a candidate still cheaply.
public final class VideoDecoder {
    public let path: String
    public let info: VideoStreamInfo
    /// Packets the decoder rejected as corrupt and skipped.
    public private(set) var corruptPacketCount = 0
    /// Frames the decoder output with errors concealed (damaged or missing data).
    public private(set) var damagedFrameCount = 0
    /// Whether the last frame returned so far had errors concealed. At the end of the stream, a damaged last
    /// frame means the file stops in the middle of that frame's data: truncated, whatever the container
    /// declares (MPEG-TS and MPEG-PS declare no length at all).
    public private(set) var lastFrameDamaged = false
    /// Frames returned so far.
    public private(set) var frameCount = 0

    private let input: InputFile
    private let codecContext: UnsafeMutablePointer<AVCodecContext>
    private let packet: UnsafeMutablePointer<AVPacket>
    private let timeBase: Double
    private var firstTimestamp: Int64?
    private var draining = false
    private var finished = false

    /// Opens `path` and prepares its best video stream for decoding.
    public init(path: String, options: DecoderOptions = DecoderOptions()) throws(MediaIOError) {
        self.path = path
        let input = try InputFile(path: path)
        let videoIndex = try input.bestVideoStreamIndex()
        self.input = input
        let stream = input.stream(videoIndex)
        let parameters = stream.pointee.codecpar!
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            let name = avcodec_get_name(parameters.pointee.codec_id).map { String(cString: $0) } ?? "unknown"
            throw MediaIOError(.unsupportedCodec, path: path, reason: "no decoder for video codec '\(name)'")
        }
        guard let context = avcodec_alloc_context3(codec), let packet = av_packet_alloc() else {
            throw MediaIOError(.outOfMemory, path: path, reason: "cannot allocate a decoder")
        }
        self.codecContext = context
        self.packet = packet
        self.timeBase = stream.pointee.time_base.seconds ?? (1.0 / 90_000)
        let start = stream.pointee.start_time
        self.firstTimestamp = start != cff_nopts() ? start : nil

        var status = avcodec_parameters_to_context(context, parameters)
        if status >= 0 {
            context.pointee.thread_count = options.resolvedThreads
            context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
            context.pointee.pkt_timebase = stream.pointee.time_base
            if options.skipLoopFilter { context.pointee.skip_loop_filter = AVDISCARD_ALL }
            if options.keyframesOnly { context.pointee.skip_frame = AVDISCARD_NONKEY }
            status = avcodec_open2(context, codec, nil)
        }
        // Everything after this point is owned by self and released in deinit.
        self.info = Self.streamInfo(stream: stream, index: videoIndex)
        if status < 0 {
            throw MediaIOError(
                .unsupportedCodec, path: path,
                reason: "cannot open the \(info.codec) decoder (\(ffmpegMessage(status)))", ffmpegCode: status)
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = codecContext
        avcodec_free_context(&context)
        var packet: UnsafeMutablePointer<AVPacket>? = self.packet
        av_packet_free(&packet)
    }

    private static func streamInfo(stream: UnsafeMutablePointer<AVStream>, index: Int) -> VideoStreamInfo {
        let parameters = stream.pointee.codecpar.pointee
        return VideoStreamInfo(
            index: index,
            codec: avcodec_get_name(parameters.codec_id).map { String(cString: $0) } ?? "unknown",
            profile: avcodec_profile_name(parameters.codec_id, parameters.profile).map { String(cString: $0) },
            width: Int(parameters.width),
            height: Int(parameters.height),
            averageFrameRate: stream.pointee.avg_frame_rate.seconds,
            timeBase: "\(stream.pointee.time_base.num)/\(stream.pointee.time_base.den)",
            frameCount: stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil,
            pixelFormat: nil,
            keyframeIntervalSeconds: nil,
            tags: dictionaryEntries(stream.pointee.metadata)
        )
    }

    /// Moves to the keyframe at or before `seconds` (counted from the stream's first frame), so
    /// that the next frames decoded start there. Used to take a still at one instant of a long file.
    /// - Throws: `MediaIOError.decodeFailed` when the container cannot seek.
    public func seek(toSeconds seconds: Double) throws(MediaIOError) {
        let target = (firstTimestamp ?? 0) + Int64((max(0, seconds) / timeBase).rounded(.down))
        let status = av_seek_frame(input.context, Int32(info.index), target, AVSEEK_FLAG_BACKWARD)
        guard status >= 0 else {
            throw MediaIOError(.decodeFailed, path: path, reason: String(format: "cannot seek to %.3f s (%@)", seconds,
                                                                          ffmpegMessage(status)), ffmpegCode: status)
        }
        avcodec_flush_buffers(codecContext)
        draining = false
        finished = false
        lastFrameDamaged = false
    }

    /// The next frame in presentation order, or nil at the end of the stream.
    ///
    /// Packets the decoder rejects as invalid are counted in `corruptPacketCount` and skipped, as a
    /// camera file with a damaged stretch should still yield its good frames.
    /// - Throws: `MediaIOError.decodeFailed` on read errors other than end of file.
    public func nextFrame() throws(MediaIOError) -> DecodedFrame? {
        guard !finished else { return nil }
        guard let frame = av_frame_alloc() else {
            throw MediaIOError(.outOfMemory, path: path, reason: "cannot allocate a frame")
        }
        let decoded = DecodedFrame(owning: frame)
        let again = cff_averror(EAGAIN)
        while true {
            let received = avcodec_receive_frame(codecContext, frame)
            if received >= 0 {
                let pts = cff_frame_pts(frame)
                if pts != cff_nopts() {
                    if firstTimestamp == nil { firstTimestamp = pts }
                    decoded.time = Double(pts - (firstTimestamp ?? 0)) * timeBase
                    decoded.duration = Double(cff_frame_duration(frame)) * timeBase
                }
                frameCount += 1
                lastFrameDamaged = frame.pointee.decode_error_flags != 0 || (frame.pointee.flags & AV_FRAME_FLAG_CORRUPT) != 0
                if lastFrameDamaged { damagedFrameCount += 1 }
                return decoded
            }
            if received == cff_eof() {
                finished = true
                return nil
            }
            if received != again {
                if received == cff_invaliddata() {
                    corruptPacketCount += 1
                    continue
                }
                throw MediaIOError(
                    .decodeFailed, path: path,
                    reason: "decoding failed after \(frameCount) frames (\(ffmpegMessage(received)))",
                    ffmpegCode: received)
            }
            // The decoder wants input.
            if draining {
                finished = true
                return nil
            }
            try feedOnePacket()
        }
    }

    /// Reads packets until one of the video stream is sent to the decoder (or the end is reached
    /// and the decoder is told to drain).
    private func feedOnePacket() throws(MediaIOError) {
        let videoIndex = Int32(info.index)
        while true {
            let read = av_read_frame(input.context, packet)
            if read < 0 {
                // End of file, or a read error at a truncated tail: both end the stream.
                if read != cff_eof(), frameCount == 0 {
                    throw MediaIOError(
                        .decodeFailed, path: path, reason: "cannot read packets (\(ffmpegMessage(read)))",
                        ffmpegCode: read)
                }
                avcodec_send_packet(codecContext, nil)
                draining = true
                return
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == videoIndex else { continue }
            let sent = avcodec_send_packet(codecContext, packet)
            if sent == cff_invaliddata() {
                corruptPacketCount += 1
                continue
            }
            if sent < 0, sent != cff_averror(EAGAIN) {
                throw MediaIOError(
                    .decodeFailed, path: path, reason: "decoder refused a packet (\(ffmpegMessage(sent)))",
                    ffmpegCode: sent)
            }
            return
        }
    }
}
