import CFFmpeg

/// Reads a recording's container and stream facts without decoding pictures.
public enum MediaProbe {
    /// Opens `path`, reads its stream info and summarises it.
    /// - Throws: `MediaIOError` naming the file when it is missing, empty, unreadable or has no video.
    public static func probe(path: String) throws(MediaIOError) -> RecordingInfo {
        let input = try InputFile(path: path)
        let videoIndex = try input.bestVideoStreamIndex()
        let context = input.context.pointee
        let stream = input.stream(videoIndex)
        let parameters = stream.pointee.codecpar.pointee

        let codecName = avcodec_get_name(parameters.codec_id).map { String(cString: $0) } ?? "unknown"
        let profile = avcodec_profile_name(parameters.codec_id, parameters.profile).map { String(cString: $0) }
        let pixelFormat = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)).map { String(cString: $0) }
        let timeBase = stream.pointee.time_base

        var audioStreams = 0
        for index in 0..<input.streamCount
        where input.stream(index).pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO {
            audioStreams += 1
        }

        let duration: Double? = context.duration > 0 ? Double(context.duration) / Double(AV_TIME_BASE) : {
            let d = stream.pointee.duration
            guard d > 0, let tb = timeBase.seconds else { return nil }
            return Double(d) * tb
        }()

        let video = VideoStreamInfo(
            index: videoIndex,
            codec: codecName,
            profile: profile,
            width: Int(parameters.width),
            height: Int(parameters.height),
            averageFrameRate: stream.pointee.avg_frame_rate.seconds ?? stream.pointee.r_frame_rate.seconds,
            timeBase: "\(timeBase.num)/\(timeBase.den)",
            frameCount: stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil,
            pixelFormat: pixelFormat,
            keyframeIntervalSeconds: keyframeInterval(input: input, videoIndex: videoIndex),
            tags: dictionaryEntries(stream.pointee.metadata)
        )
        var tags: [String: String] = [:]
        for (key, value) in dictionaryEntries(context.metadata) { tags[key.lowercased()] = value }
        return RecordingInfo(
            path: path,
            format: context.iformat.map { String(cString: $0.pointee.name) } ?? "unknown",
            durationSeconds: duration,
            bitRate: context.bit_rate > 0 ? context.bit_rate : nil,
            tags: tags,
            video: video,
            audioStreamCount: audioStreams
        )
    }

    /// Median keyframe spacing. MP4/MOV/AVI carry a sample index, read here without touching the
    /// media data; otherwise the first packets (up to 600) are read and their key flags counted.
    static func keyframeInterval(input: InputFile, videoIndex: Int) -> Double? {
        let stream = input.stream(videoIndex)
        guard let timeBase = stream.pointee.time_base.seconds else { return nil }
        var keyTimes: [Int64] = []
        let entries = avformat_index_get_entries_count(stream)
        if entries > 1 {
            for i in 0..<entries {
                guard let entry = avformat_index_get_entry(stream, i) else { continue }
                if entry.pointee.flags & AVINDEX_KEYFRAME != 0 { keyTimes.append(entry.pointee.timestamp) }
            }
        }
        if keyTimes.count < 2 {
            keyTimes = []
            guard let packet = av_packet_alloc() else { return nil }
            var doomed: UnsafeMutablePointer<AVPacket>? = packet
            defer { av_packet_free(&doomed) }
            var read = 0
            while read < 600, av_read_frame(input.context, packet) >= 0 {
                if packet.pointee.stream_index == Int32(videoIndex) {
                    read += 1
                    let pts = packet.pointee.pts != cff_nopts() ? packet.pointee.pts : packet.pointee.dts
                    if packet.pointee.flags & AV_PKT_FLAG_KEY != 0, pts != cff_nopts() { keyTimes.append(pts) }
                }
                av_packet_unref(packet)
            }
        }
        guard keyTimes.count >= 2 else { return nil }
        keyTimes.sort()
        var gaps: [Int64] = []
        for i in 1..<keyTimes.count where keyTimes[i] > keyTimes[i - 1] { gaps.append(keyTimes[i] - keyTimes[i - 1]) }
        guard !gaps.isEmpty else { return nil }
        gaps.sort()
        return Double(gaps[gaps.count / 2]) * timeBase
    }
}
