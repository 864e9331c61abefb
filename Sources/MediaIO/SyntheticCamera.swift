import CFFmpeg
import Foundation

/// Deterministic camera footage for benchmarks and tests, encoded with libavcodec (never a shell):
/// a fixed street-like background with a little sensor noise, and boxes that cross the picture at
/// known times. A camera's two encoders are imitated: each frame is drawn at the main size and
/// encoded, then downscaled (area filter) to the sub-stream size and encoded at its own bitrate.
public enum SyntheticCamera {
    /// An object crossing the picture from one side to the other between `start` and `end`.
    public struct Mover: Sendable, Equatable {
        public var start: Double
        public var end: Double
        /// Top edge and size, as fractions of the frame.
        public var top: Double
        public var width: Double
        public var height: Double
        public var luma: UInt8
        public var leftToRight: Bool

        public init(start: Double, end: Double, top: Double, width: Double, height: Double, luma: UInt8, leftToRight: Bool) {
            self.start = start
            self.end = end
            self.top = top
            self.width = width
            self.height = height
            self.luma = luma
            self.leftToRight = leftToRight
        }
    }

    /// One encoded stream: its size and rate control.
    public struct Stream: Sendable, Equatable {
        public var path: String
        public var width: Int
        public var height: Int
        /// Constrained bitrate in bit/s (a sub-stream's 512 kbit/s); nil = constant quality (`crf`).
        public var bitRate: Int?
        public var crf: Int
        public var gopFrames: Int

        public init(path: String, width: Int, height: Int, bitRate: Int? = nil, crf: Int = 26, gopFrames: Int = 50) {
            self.path = path
            self.width = width
            self.height = height
            self.bitRate = bitRate
            self.crf = crf
            self.gopFrames = gopFrames
        }
    }

    /// Writes `main` (and `sub`, downscaled from the same pictures) as MP4 files with `creationTime`
    /// (ISO 8601, UTC) as their start. One encoder thread each, so the output is the same everywhere.
    /// - Throws: `MediaIOError` naming the file when this FFmpeg has no H.264 encoder or a write fails.
    public static func record(main: Stream, sub: Stream?, seconds: Double, fps: Int, seed: UInt64, creationTime: String,
                              movers: [Mover]) throws(MediaIOError) {
        let mainEncoder = try Encoder(stream: main, fps: fps, creationTime: creationTime)
        let subEncoder = try sub.map { (stream) throws(MediaIOError) -> Encoder in
            try Encoder(stream: stream, fps: fps, creationTime: creationTime)
        }
        var scaler: OpaquePointer?
        if let sub {
            scaler = sws_getContext(Int32(main.width), Int32(main.height), AV_PIX_FMT_YUV420P, Int32(sub.width),
                                    Int32(sub.height), AV_PIX_FMT_YUV420P, SWS_AREA, nil, nil, nil)
            guard scaler != nil else { throw MediaIOError(.encodeFailed, path: sub.path, reason: "cannot create a scaler") }
        }
        defer { sws_freeContext(scaler) }
        let background = Self.background(width: main.width, height: main.height, seed: seed)
        var random = seed | 1
        let frames = Int((seconds * Double(fps)).rounded())
        for index in 0..<frames {
            let time = Double(index) / Double(fps)
            let frame = try mainEncoder.writableFrame()
            Self.draw(frame, background: background, width: main.width, height: main.height, time: time, movers: movers,
                      random: &random)
            frame.pointee.pts = Int64(index)
            try mainEncoder.encode(frame)
            if let subEncoder, let scaler {
                let small = try subEncoder.writableFrame()
                let status = sws_scale_frame(scaler, small, frame)
                guard status >= 0 else {
                    throw MediaIOError(.encodeFailed, path: subEncoder.stream.path, reason: "scaling failed (\(ffmpegMessage(status)))")
                }
                small.pointee.pts = Int64(index)
                try subEncoder.encode(small)
            }
        }
        try mainEncoder.finish()
        try subEncoder?.finish()
    }

    /// Facades, windows and a road: blocks of fixed luma with a little texture.
    static func background(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height)
        var random = seed &* 6364136223846793005 &+ 1442695040888963407
        let columns = 12, rows = 8
        var blocks: [UInt8] = []
        for _ in 0..<(columns * rows) {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            blocks.append(UInt8(60 + (random >> 33) % 120))
        }
        for y in 0..<height {
            let row = min(rows - 1, y * rows / height)
            let road = y > height * 6 / 10
            for x in 0..<width {
                let column = min(columns - 1, x * columns / width)
                var value = road ? 80 : Int(blocks[row * columns + column])
                if !road, (x / 24 + y / 24) % 5 == 0 { value = 40 }         // windows
                value += ((x * 7 + y * 13) % 9) - 4                         // fixed texture
                pixels[y * width + x] = UInt8(clamping: value)
            }
        }
        return pixels
    }

    /// Background plus temporal noise (±2) on every 4th pixel, movers on top, neutral chroma.
    static func draw(_ frame: UnsafeMutablePointer<AVFrame>, background: [UInt8], width: Int, height: Int, time: Double,
                     movers: [Mover], random: inout UInt64) {
        let luma = cff_plane(frame, 0)!, stride = Int(cff_linesize(frame, 0))
        background.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let row = luma + y * stride
                row.update(from: source.baseAddress! + y * width, count: width)
                var x = Int(random % 4)
                while x < width {
                    random ^= random << 13
                    random ^= random >> 7
                    random ^= random << 17
                    row[x] = UInt8(clamping: Int(row[x]) + Int(random % 5) - 2)
                    x += 4
                }
            }
        }
        for mover in movers where time >= mover.start && time <= mover.end {
            let w = max(2, Int(mover.width * Double(width))), h = max(2, Int(mover.height * Double(height)))
            let progress = (time - mover.start) / max(mover.end - mover.start, 0.001)
            let travel = Double(width + w) * (mover.leftToRight ? progress : 1 - progress)
            let left = Int(travel) - w, top = Int(mover.top * Double(height))
            for y in max(0, top)..<min(height, top + h) {
                let row = luma + y * stride
                for x in max(0, left)..<min(width, left + w) {
                    row[x] = UInt8(clamping: Int(mover.luma) + ((x / 8 + y / 8) % 2) * 20)
                }
            }
        }
        for plane in 1...2 {
            let data = cff_plane(frame, Int32(plane))!, planeStride = Int(cff_linesize(frame, Int32(plane)))
            for y in 0..<(height / 2) { (data + y * planeStride).update(repeating: 128, count: width / 2) }
        }
    }

    /// One H.264 encoder writing one MP4 file.
    final class Encoder {
        let stream: Stream
        let output: OutputFile
        let context: UnsafeMutablePointer<AVCodecContext>
        let frame: UnsafeMutablePointer<AVFrame>
        let packet: OwnedPacket
        let streamTimeBase: AVRational

        init(stream: Stream, fps: Int, creationTime: String) throws(MediaIOError) {
            self.stream = stream
            guard let codec = avcodec_find_encoder_by_name("libx264") ?? avcodec_find_encoder(AV_CODEC_ID_H264) else {
                throw MediaIOError(.encodeFailed, path: stream.path, reason: "this FFmpeg has no H.264 encoder")
            }
            output = try OutputFile(path: stream.path, formatName: "mp4", displayPath: stream.path)
            guard let context = avcodec_alloc_context3(codec), let frame = av_frame_alloc() else {
                throw MediaIOError(.outOfMemory, path: stream.path, reason: "cannot allocate an encoder")
            }
            self.context = context
            self.frame = frame
            packet = try OwnedPacket(path: stream.path)
            context.pointee.width = Int32(stream.width)
            context.pointee.height = Int32(stream.height)
            context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            context.pointee.time_base = AVRational(num: 1, den: Int32(fps))
            context.pointee.framerate = AVRational(num: Int32(fps), den: 1)
            context.pointee.gop_size = Int32(stream.gopFrames)
            context.pointee.max_b_frames = 0
            context.pointee.thread_count = 1
            context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
            if let rate = stream.bitRate {
                context.pointee.bit_rate = Int64(rate)
                context.pointee.rc_max_rate = Int64(rate)
                context.pointee.rc_buffer_size = Int32(rate * 2)
            }
            if let options = context.pointee.priv_data {
                av_opt_set(options, "preset", "veryfast", 0)
                if stream.bitRate == nil { av_opt_set(options, "crf", String(stream.crf), 0) }
            }
            var status = avcodec_open2(context, codec, nil)
            guard status >= 0 else {
                throw MediaIOError(.encodeFailed, path: stream.path, reason: "cannot open the H.264 encoder (\(ffmpegMessage(status)))",
                                   ffmpegCode: status)
            }
            guard let out = avformat_new_stream(output.context, nil) else {
                throw MediaIOError(.outOfMemory, path: stream.path, reason: "cannot add a stream")
            }
            avcodec_parameters_from_context(out.pointee.codecpar, context)
            out.pointee.time_base = context.pointee.time_base
            out.pointee.avg_frame_rate = context.pointee.framerate
            av_dict_set(&output.context.pointee.metadata, "creation_time", creationTime, 0)
            try output.writeHeader(options: [("movflags", "+faststart")])
            streamTimeBase = output.stream(0).pointee.time_base
            frame.pointee.width = Int32(stream.width)
            frame.pointee.height = Int32(stream.height)
            frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            status = av_frame_get_buffer(frame, 0)
            guard status >= 0 else { throw MediaIOError(.outOfMemory, path: stream.path, reason: "cannot allocate a picture") }
        }

        deinit {
            var context: UnsafeMutablePointer<AVCodecContext>? = self.context
            avcodec_free_context(&context)
            var frame: UnsafeMutablePointer<AVFrame>? = self.frame
            av_frame_free(&frame)
        }

        /// The encoder's picture, writable (the encoder may still hold the previous one).
        func writableFrame() throws(MediaIOError) -> UnsafeMutablePointer<AVFrame> {
            let status = av_frame_make_writable(frame)
            guard status >= 0 else { throw MediaIOError(.outOfMemory, path: stream.path, reason: "cannot write a picture") }
            return frame
        }

        func encode(_ picture: UnsafeMutablePointer<AVFrame>?) throws(MediaIOError) {
            var status = avcodec_send_frame(context, picture)
            guard status >= 0 else {
                throw MediaIOError(.encodeFailed, path: stream.path, reason: "encoder refused a picture (\(ffmpegMessage(status)))",
                                   ffmpegCode: status)
            }
            while true {
                status = avcodec_receive_packet(context, packet.pointer)
                if status == cff_averror(EAGAIN) || status == cff_eof() { return }
                guard status >= 0 else {
                    throw MediaIOError(.encodeFailed, path: stream.path, reason: "encoding failed (\(ffmpegMessage(status)))",
                                       ffmpegCode: status)
                }
                av_packet_rescale_ts(packet.pointer, context.pointee.time_base, streamTimeBase)
                packet.pointer.pointee.stream_index = 0
                try output.write(packet.pointer)
            }
        }

        func finish() throws(MediaIOError) {
            try encode(nil)
            try output.finish()
        }
    }
}
