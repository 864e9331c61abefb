import CFFmpeg

/// One decoded picture, owned (reference-counted by FFmpeg) until this object goes away.
///
/// Keeping a `DecodedFrame` is cheap (no pixel copy), which is how a still of an event's peak is
/// taken without decoding the recording twice. Not `Sendable`: it stays with its decoder's task.
public final class DecodedFrame {
    let frame: UnsafeMutablePointer<AVFrame>
    /// Presentation time in seconds from the stream's first timestamp.
    public internal(set) var time: Double = 0
    /// Display duration in seconds when the container states it, else 0.
    public internal(set) var duration: Double = 0

    init(owning frame: UnsafeMutablePointer<AVFrame>) {
        self.frame = frame
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&doomed)
    }

    public var width: Int { Int(frame.pointee.width) }
    public var height: Int { Int(frame.pointee.height) }
    public var isKeyframe: Bool { cff_frame_is_key(frame) != 0 }

    /// Reduces the luma plane to cell means.
    ///
    /// 8-bit planar formats are read in place, sampling every `rowStep`-th row of each cell (rows are
    /// contiguous, so this keeps the loop vectorisable); other formats (10-bit, RGB) go through
    /// swscale's area filter to 8-bit gray at grid resolution.
    /// - Parameters:
    ///   - cellSize: source pixels per cell side (see `LumaGrid.cellSize(forWidth:)`).
    ///   - rowStep: sample one row in `rowStep` inside each cell; 1 reads every pixel.
    public func lumaGrid(cellSize: Int, rowStep: Int = 1) throws(MediaIOError) -> LumaGrid {
        let columns = width / cellSize
        let rows = height / cellSize
        guard columns > 0, rows > 0 else {
            throw MediaIOError(.decodeFailed, path: "", reason: "frame \(width)x\(height) is smaller than one cell")
        }
        if cff_has_8bit_luma_plane(frame.pointee.format) != 0, let plane = cff_plane(frame, 0) {
            return gridFromPlane(plane, lineSize: Int(cff_linesize(frame, 0)), cellSize: cellSize,
                                 rowStep: max(1, min(rowStep, cellSize)), columns: columns, rows: rows)
        }
        return try gridByScaling(cellSize: cellSize, columns: columns, rows: rows)
    }

    private func gridFromPlane(
        _ plane: UnsafeMutablePointer<UInt8>, lineSize: Int, cellSize: Int, rowStep: Int, columns: Int, rows: Int
    ) -> LumaGrid {
        var values = [Float](repeating: 0, count: columns * rows)
        let usedWidth = columns * cellSize
        // Whole sampled rows are added into a wide accumulator (a loop the compiler vectorizes),
        // then each band of rows is collapsed into cells once.
        var accumulator = [UInt32](repeating: 0, count: usedWidth)
        let sampledRows = (cellSize + rowStep - 1) / rowStep
        let scale = 1 / Float(sampledRows * cellSize)
        accumulator.withUnsafeMutableBufferPointer { sums in
            values.withUnsafeMutableBufferPointer { values in
                for row in 0..<rows {
                    for x in 0..<usedWidth { sums[x] = 0 }
                    var y = row * cellSize
                    let end = y + cellSize
                    while y < end {
                        let line = plane + y * lineSize
                        for x in 0..<usedWidth { sums[x] &+= UInt32(line[x]) }
                        y += rowStep
                    }
                    let base = row * columns
                    for column in 0..<columns {
                        var total: UInt32 = 0
                        let first = column * cellSize
                        for x in first..<(first + cellSize) { total &+= sums[x] }
                        values[base + column] = Float(total) * scale
                    }
                }
            }
        }
        return LumaGrid(columns: columns, rows: rows, cellSize: cellSize, values: values)
    }

    private func gridByScaling(cellSize: Int, columns: Int, rows: Int) throws(MediaIOError) -> LumaGrid {
        let gray = try scaled(width: columns, height: rows, format: AV_PIX_FMT_GRAY8, flags: SWS_AREA)
        var doomed: UnsafeMutablePointer<AVFrame>? = gray
        defer { av_frame_free(&doomed) }
        var values = [Float](repeating: 0, count: columns * rows)
        let plane = cff_plane(gray, 0)!
        let lineSize = Int(cff_linesize(gray, 0))
        for row in 0..<rows {
            for column in 0..<columns { values[row * columns + column] = Float(plane[row * lineSize + column]) }
        }
        return LumaGrid(columns: columns, rows: rows, cellSize: cellSize, values: values)
    }

    /// A new frame with this picture converted by swscale. The caller frees it.
    func scaled(width: Int, height: Int, format: AVPixelFormat, flags: Int32) throws(MediaIOError)
        -> UnsafeMutablePointer<AVFrame>
    {
        guard let target = av_frame_alloc() else {
            throw MediaIOError(.outOfMemory, path: "", reason: "cannot allocate a frame")
        }
        target.pointee.width = Int32(width)
        target.pointee.height = Int32(height)
        target.pointee.format = format.rawValue
        let source = AVPixelFormat(rawValue: frame.pointee.format)
        guard let scaler = sws_getContext(
            frame.pointee.width, frame.pointee.height, source, Int32(width), Int32(height), format, flags, nil, nil, nil)
        else {
            var doomed: UnsafeMutablePointer<AVFrame>? = target
            av_frame_free(&doomed)
            throw MediaIOError(.decodeFailed, path: "", reason: "cannot convert pixel format \(source.rawValue)")
        }
        defer { sws_freeContext(scaler) }
        var status = av_frame_get_buffer(target, 0)
        if status >= 0 { status = sws_scale_frame(scaler, target, frame) }
        if status < 0 {
            var doomed: UnsafeMutablePointer<AVFrame>? = target
            av_frame_free(&doomed)
            throw MediaIOError(.decodeFailed, path: "", reason: "scaling failed (\(ffmpegMessage(status)))",
                               ffmpegCode: status)
        }
        return target
    }
}
