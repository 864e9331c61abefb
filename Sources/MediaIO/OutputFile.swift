import CFFmpeg

/// A container being written (AVFormatContext plus its open file). Owns both; deinit closes the file
/// and frees the context, whether or not the trailer was written.
final class OutputFile {
    /// The file being written.
    let path: String
    /// The path named in errors (the final name, when `path` is a temporary one).
    let displayPath: String
    let context: UnsafeMutablePointer<AVFormatContext>

    /// Prepares a container of FFmpeg format `formatName` ("mp4", "matroska") to be written at `path`.
    init(path: String, formatName: String, displayPath: String) throws(MediaIOError) {
        self.path = path
        self.displayPath = displayPath
        var raw: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_alloc_output_context2(&raw, nil, formatName, path)
        guard status >= 0, let context = raw else {
            throw MediaIOError(.unsupportedContainer, path: displayPath,
                               reason: "this FFmpeg cannot write \(formatName) (\(ffmpegMessage(status)))",
                               ffmpegCode: status)
        }
        self.context = context
    }

    deinit {
        if context.pointee.pb != nil, context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            avio_closep(&context.pointee.pb)
        }
        avformat_free_context(context)
    }

    /// A short name for messages: "mp4", "matroska".
    var formatName: String { String(cString: context.pointee.oformat.pointee.name) }

    /// Whether the container can store `codec` (FFmpeg's own table; audio that does not fit is skipped).
    func accepts(_ codec: AVCodecID) -> Bool {
        avformat_query_codec(context.pointee.oformat, codec, FF_COMPLIANCE_NORMAL) == 1
    }

    /// Adds a stream with a copy of `input`'s codec parameters and returns its index.
    ///
    /// The source's codec tag (fourcc) is kept when this container maps it to the same codec (so HEVC
    /// tagged `hvc1`, which Safari needs, stays `hvc1` in MP4); otherwise it is cleared and the muxer
    /// picks its own (an AVI `MJPG` tag means nothing in MP4).
    func addStream(copying input: UnsafeMutablePointer<AVStream>) throws(MediaIOError) -> Int {
        guard let stream = avformat_new_stream(context, nil) else {
            throw MediaIOError(.outOfMemory, path: displayPath, reason: "cannot add a stream")
        }
        let status = avcodec_parameters_copy(stream.pointee.codecpar, input.pointee.codecpar)
        guard status >= 0 else {
            throw MediaIOError(.outOfMemory, path: displayPath,
                               reason: "cannot copy codec parameters (\(ffmpegMessage(status)))", ffmpegCode: status)
        }
        let parameters = stream.pointee.codecpar!
        if let tags = context.pointee.oformat.pointee.codec_tag,
           av_codec_get_id(tags, parameters.pointee.codec_tag) != parameters.pointee.codec_id {
            var ownTag: UInt32 = 0
            if av_codec_get_tag2(tags, parameters.pointee.codec_id, &ownTag) != 0 { parameters.pointee.codec_tag = 0 }
        }
        // Hints only: the muxer picks the time base it writes in (read it back after `writeHeader`).
        stream.pointee.time_base = input.pointee.time_base
        stream.pointee.avg_frame_rate = input.pointee.avg_frame_rate
        stream.pointee.sample_aspect_ratio = input.pointee.sample_aspect_ratio
        return Int(stream.pointee.index)
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[index]! }

    /// Creates the file and writes the container header, with muxer options such as `movflags`.
    func writeHeader(options: [(String, String)]) throws(MediaIOError) {
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            let opened = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
            guard opened >= 0 else {
                throw MediaIOError(.writeFailed, path: displayPath,
                                   reason: "cannot create the file (\(ffmpegMessage(opened)))", ffmpegCode: opened)
            }
        }
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        let status = avformat_write_header(context, &dictionary)
        guard status >= 0 else {
            throw MediaIOError(.unsupportedContainer, path: displayPath,
                               reason: "the \(formatName) muxer refused these streams (\(ffmpegMessage(status)))",
                               ffmpegCode: status)
        }
    }

    /// Hands a packet (timestamps already in the output stream's time base) to the interleaving muxer,
    /// which takes its reference.
    func write(_ packet: UnsafeMutablePointer<AVPacket>) throws(MediaIOError) {
        let status = av_interleaved_write_frame(context, packet)
        guard status >= 0 else {
            throw MediaIOError(.writeFailed, path: displayPath,
                               reason: "cannot write a packet (\(ffmpegMessage(status)))", ffmpegCode: status)
        }
    }

    /// Flushes the interleaving queue, writes the trailer (for MP4 with faststart this moves the index to
    /// the front) and closes the file.
    func finish() throws(MediaIOError) {
        let status = av_write_trailer(context)
        var closed: Int32 = 0
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 { closed = avio_closep(&context.pointee.pb) }
        guard status >= 0, closed >= 0 else {
            let code = status < 0 ? status : closed
            throw MediaIOError(.writeFailed, path: displayPath,
                               reason: "cannot finish the file (\(ffmpegMessage(code)))", ffmpegCode: code)
        }
    }
}
