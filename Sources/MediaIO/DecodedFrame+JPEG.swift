import CFFmpeg

extension DecodedFrame {
    /// Encodes this picture as a JPEG (libavcodec's MJPEG encoder), scaled down to at most
    /// `maxWidth` pixels wide, for event stills and thumbnails.
    /// - Parameter quality: JPEG quantiser 2 (best) ... 31 (smallest).
    public func jpeg(maxWidth: Int = 640, quality: Int = 4) throws(MediaIOError) -> [UInt8] {
        let scale = min(1.0, Double(maxWidth) / Double(max(1, width)))
        // Even dimensions for 4:2:0.
        let targetWidth = max(2, Int((Double(width) * scale).rounded()) & ~1)
        let targetHeight = max(2, Int((Double(height) * scale).rounded()) & ~1)

        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw MediaIOError(.encodeFailed, path: "", reason: "this FFmpeg has no MJPEG encoder")
        }
        guard let context = avcodec_alloc_context3(codec), let packet = av_packet_alloc() else {
            throw MediaIOError(.outOfMemory, path: "", reason: "cannot allocate a JPEG encoder")
        }
        var contextRef: UnsafeMutablePointer<AVCodecContext>? = context
        var packetRef: UnsafeMutablePointer<AVPacket>? = packet
        defer {
            avcodec_free_context(&contextRef)
            av_packet_free(&packetRef)
        }
        let lambda = Int32(quality.clamped(to: 2...31)) * FF_QP2LAMBDA
        context.pointee.width = Int32(targetWidth)
        context.pointee.height = Int32(targetHeight)
        context.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        context.pointee.time_base = AVRational(num: 1, den: 25)
        context.pointee.flags |= AV_CODEC_FLAG_QSCALE
        context.pointee.global_quality = lambda
        var status = avcodec_open2(context, codec, nil)
        guard status >= 0 else {
            throw MediaIOError(.encodeFailed, path: "", reason: "cannot open the JPEG encoder (\(ffmpegMessage(status)))",
                               ffmpegCode: status)
        }
        let picture = try scaled(width: targetWidth, height: targetHeight, format: AV_PIX_FMT_YUVJ420P,
                                 flags: SWS_BICUBIC)
        var pictureRef: UnsafeMutablePointer<AVFrame>? = picture
        defer { av_frame_free(&pictureRef) }
        picture.pointee.quality = lambda
        picture.pointee.pts = 0

        status = avcodec_send_frame(context, picture)
        if status >= 0 { status = avcodec_send_frame(context, nil) }
        if status >= 0 { status = avcodec_receive_packet(context, packet) }
        guard status >= 0, let data = packet.pointee.data else {
            throw MediaIOError(.encodeFailed, path: "", reason: "JPEG encoding failed (\(ffmpegMessage(status)))",
                               ffmpegCode: status)
        }
        return Array(UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)))
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
