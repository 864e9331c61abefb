/// Finds motion events in a sequence of luma cell grids, with the detector that
/// `MotionSettings.model` names: `BackgroundDetector` (the default) or `FrameDifferenceDetector`.
public struct MotionDetector: Sendable {
    public let settings: MotionSettings
    public let columns: Int
    public let rows: Int
    private var frameDifference: FrameDifferenceDetector?
    private var background: BackgroundDetector?

    public init(settings: MotionSettings, columns: Int, rows: Int) {
        self.settings = settings
        self.columns = columns
        self.rows = rows
        switch settings.model {
        case .frameDifference: frameDifference = FrameDifferenceDetector(settings: settings, columns: columns, rows: rows)
        case .background: background = BackgroundDetector(settings: settings, columns: columns, rows: rows)
        }
    }

    /// Analyses one frame. `values` are the cell means (row-major, `columns × rows`), `time` the
    /// frame's presentation time in seconds; times must not go backwards. `followsKeyframe` says
    /// that a keyframe (an intra-coded picture) was decoded since the previous frame analysed, this
    /// one included: compression artefacts do not survive one, objects do.
    public mutating func process(_ values: [Float], time: Double, followsKeyframe: Bool = false) -> FrameAnalysis {
        // Mutated in place through the optional: no copy of the detector's buffers per frame.
        if background != nil { return background!.process(values, time: time, followsKeyframe: followsKeyframe) }
        return frameDifference!.process(values, time: time)
    }

    /// Ends the stream: closes the current event.
    public mutating func finish() -> [DetectorOutput] {
        if background != nil { return background!.finish() }
        return frameDifference!.finish()
    }
}

extension MotionSettings {
    /// Which cells of a `columns` × `rows` grid are analysed (include regions minus exclude regions),
    /// judged at each cell's centre.
    func analysedCells(columns: Int, rows: Int) -> [Bool] {
        var mask = [Bool](repeating: true, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let x = (Double(column) + 0.5) / Double(columns)
                let y = (Double(row) + 0.5) / Double(rows)
                let included = include.isEmpty || include.contains { $0.contains(x: x, y: y) }
                let excluded = exclude.contains { $0.contains(x: x, y: y) }
                mask[row * columns + column] = included && !excluded
            }
        }
        return mask
    }
}
