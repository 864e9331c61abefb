/// The first detector (`detection.model: frame-diff`): finds motion events in a sequence of luma
/// cell grids by frame differencing.
///
/// Per frame: compare each cell with a reference frame about `referenceLagSeconds` earlier, after
/// removing the global brightness change between them (a robust gain/offset fit, so dusk, clouds
/// and exposure steps cancel out); a cell changed when its residual exceeds a threshold that
/// follows the frame's own noise (median absolute deviation); lone changed cells are ignored.
/// A frame moves when enough cells changed; motion must persist for `minimumMotionSeconds`, which
/// one-frame changes (clock ticks, exposure steps, keyframe pumping) never do. Runs of motion
/// closer than the merge gap form one event.
public struct FrameDifferenceDetector: Sendable {
    public let settings: MotionSettings
    public let columns: Int
    public let rows: Int
    /// Which cells are analysed (include regions minus exclude regions).
    public let mask: [Bool]
    public let analysedCellCount: Int

    private var history: [(time: Double, values: [Float])] = []
    private var run: Run?
    private var event: EventAccumulator?
    private var changed: [Bool]
    private var residuals: [Float]
    private var medians = MedianHistogram()

    public init(settings: MotionSettings, columns: Int, rows: Int) {
        self.settings = settings
        self.columns = columns
        self.rows = rows
        var mask = [Bool](repeating: true, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let x = (Double(column) + 0.5) / Double(columns)
                let y = (Double(row) + 0.5) / Double(rows)
                let included = settings.include.isEmpty || settings.include.contains { $0.contains(x: x, y: y) }
                let excluded = settings.exclude.contains { $0.contains(x: x, y: y) }
                mask[row * columns + column] = included && !excluded
            }
        }
        self.mask = mask
        self.analysedCellCount = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        self.changed = [Bool](repeating: false, count: columns * rows)
        self.residuals = [Float](repeating: 0, count: columns * rows)
    }

    // MARK: - Frames

    /// Analyses one frame. `values` are the cell means (row-major, `columns × rows`), `time` the
    /// frame's presentation time in seconds; times must not go backwards.
    public mutating func process(_ values: [Float], time: Double) -> FrameAnalysis {
        precondition(values.count == columns * rows, "grid size changed mid-stream")
        var outputs: [DetectorOutput] = []
        guard let reference = referenceFrame(before: time), analysedCellCount > 0 else {
            remember(values, time: time)
            return FrameAnalysis(time: time, area: 0, score: 0, threshold: 0, isMoving: false, isRunPeak: false,
                                 outputs: outputs)
        }
        let measured = measureChange(values, against: reference)
        remember(values, time: time)

        let minimumCells = max(settings.minimumCells, Int((settings.minimumArea * Double(analysedCellCount)).rounded(.up)))
        let isMoving = measured.changedCells >= minimumCells
        let area = Double(measured.changedCells) / Double(analysedCellCount)
        let score = measured.excessSum / Double(analysedCellCount)
        var isRunPeak = false

        // A run ends when motion pauses for longer than the gap tolerance — and never merely because
        // frames are far apart (slow or variable frame rates).
        let frameInterval = history.count >= 2 ? time - history[history.count - 2].time : 0
        if let current = run, time - current.lastMoving > max(settings.frameGapTolerance, 1.5 * frameInterval) {
            endRun(current, outputs: &outputs)
        }
        if isMoving {
            var current = run ?? Run(start: time)
            isRunPeak = current.add(time: time, score: score, area: area, box: measured.box, footprint: measured.footprint)
            if current.qualified {
                event?.add(time: time, score: score, area: area, box: measured.box, footprint: measured.footprint)
            } else if current.lastMoving - current.start >= settings.minimumMotionSeconds {
                current.qualified = true
                qualify(current, outputs: &outputs)
            }
            run = current
            if let open = event, open.end - open.start >= settings.maximumEventSeconds {
                // Split: the event closes here and the ongoing motion continues as a new one.
                endRun(current, outputs: &outputs)
                closeEvent(outputs: &outputs)
                var restarted = Run(start: time)
                _ = restarted.add(time: time, score: score, area: area, box: measured.box, footprint: measured.footprint)
                restarted.qualified = true
                run = restarted
                event = EventAccumulator(run: restarted)
                isRunPeak = true
            }
        }
        // An event closes once the merge gap has passed and no pending run can still join it.
        if let open = event, time - open.end > settings.mergeGapSeconds,
           run.map({ $0.start - open.end > settings.mergeGapSeconds }) ?? true {
            closeEvent(outputs: &outputs)
        }
        return FrameAnalysis(time: time, area: area, score: score, threshold: measured.threshold,
                             isMoving: isMoving, isRunPeak: isRunPeak, outputs: outputs)
    }

    /// Ends the stream: closes the current run and event.
    public mutating func finish() -> [DetectorOutput] {
        var outputs: [DetectorOutput] = []
        if let current = run { endRun(current, outputs: &outputs) }
        if event != nil { closeEvent(outputs: &outputs) }
        return outputs
    }

    // MARK: - Runs and events

    private mutating func endRun(_ ended: Run, outputs: inout [DetectorOutput]) {
        outputs.append(.runEnded(qualified: ended.qualified, peakTime: ended.peakTime, peakScore: ended.peakScore))
        run = nil
    }

    private mutating func qualify(_ pending: Run, outputs: inout [DetectorOutput]) {
        if let open = event, pending.start - open.end <= settings.mergeGapSeconds {
            event!.merge(pending)
        } else {
            if event != nil { closeEvent(outputs: &outputs) }
            event = EventAccumulator(run: pending)
        }
    }

    private mutating func closeEvent(outputs: inout [DetectorOutput]) {
        guard let closed = event else { return }
        event = nil
        if closed.end - closed.start < settings.minimumEventSeconds {
            outputs.append(.eventDiscarded)
        } else {
            outputs.append(.eventClosed(closed.motion(columns: columns, rows: rows)))
        }
    }

    // MARK: - Measuring change

    private struct Measurement {
        var changedCells: Int
        var excessSum: Double
        var threshold: Double
        var box: CellBox?
        var footprint: MotionFootprint
    }

    private func referenceFrame(before time: Double) -> [Float]? {
        guard !history.isEmpty else { return nil }
        // The newest frame at least `referenceLagSeconds` old, else the oldest we have.
        for entry in history.reversed() where time - entry.time >= settings.referenceLagSeconds - 1e-6 {
            return entry.values
        }
        return history.first!.values
    }

    private mutating func remember(_ values: [Float], time: Double) {
        history.append((time, values))
        // Keep just enough history to reach one lag back from the next frame.
        while history.count > 2, time - history[1].time >= settings.referenceLagSeconds { history.removeFirst() }
    }

    private mutating func measureChange(_ current: [Float], against reference: [Float]) -> Measurement {
        let count = current.count
        // 1. Global offset: median difference.
        var offset: Float = 0
        current.withUnsafeBufferPointer { cur in
            reference.withUnsafeBufferPointer { ref in
                residuals.withUnsafeMutableBufferPointer { res in
                    for i in 0..<count { res[i] = cur[i] - ref[i] }
                }
            }
        }
        offset = medians.median(of: residuals, where: mask)

        // 2. Gain + offset fit on cells that agree with the offset (not moving, not clipped).
        let light = LightChange(reference: reference, current: current, offset: offset, where: mask)

        // 3. Residuals after the global fit, and their spread (noise).
        let g = light.gain, s = light.shift
        current.withUnsafeBufferPointer { cur in
            reference.withUnsafeBufferPointer { ref in
                residuals.withUnsafeMutableBufferPointer { res in
                    for i in 0..<count { res[i] = cur[i] - (g * ref[i] + s) }
                }
            }
        }
        let center = medians.median(of: residuals, where: mask)
        var deviations = residuals
        for i in 0..<count { deviations[i] = abs(residuals[i] - center) }
        let mad = medians.median(of: deviations, where: mask)
        let sigma = Double(mad) * 1.4826
        let threshold = max(settings.sensitivity, settings.noiseFactor * sigma)
        let limit = Float(threshold)

        // 4. Changed cells, skipping clipped ones (they cannot follow a brightness change).
        for i in 0..<count {
            let clipped = (current[i] >= 253 || current[i] <= 2) && (reference[i] >= 250 || reference[i] <= 5)
            changed[i] = mask[i] && !clipped && abs(residuals[i] - center) > limit
        }
        // 5. Keep cells with a changed neighbour: lone cells are noise.
        var changedCells = 0
        var excess = 0.0
        var box: CellBox?
        var footprint = MotionFootprint()
        for row in 0..<rows {
            for column in 0..<columns {
                let i = row * columns + column
                guard changed[i] else { continue }
                let neighbour = (column > 0 && changed[i - 1]) || (column + 1 < columns && changed[i + 1])
                    || (row > 0 && changed[i - columns]) || (row + 1 < rows && changed[i + columns])
                guard neighbour else { continue }
                changedCells += 1
                excess += Double(abs(residuals[i] - center)) / threshold
                if box == nil { box = CellBox(column: column, row: row) } else { box!.include(column: column, row: row) }
                footprint.mark(column: column, row: row, columns: columns, rows: rows)
            }
        }
        return Measurement(changedCells: changedCells, excessSum: excess, threshold: threshold, box: box, footprint: footprint)
    }
}

// MARK: - Accumulators

/// Cell-coordinate bounds of changed cells.
struct CellBox: Sendable, Equatable {
    var minColumn: Int, maxColumn: Int, minRow: Int, maxRow: Int

    init(column: Int, row: Int) {
        minColumn = column; maxColumn = column; minRow = row; maxRow = row
    }

    mutating func include(column: Int, row: Int) {
        minColumn = min(minColumn, column); maxColumn = max(maxColumn, column)
        minRow = min(minRow, row); maxRow = max(maxRow, row)
    }

    mutating func include(_ other: CellBox) {
        include(column: other.minColumn, row: other.minRow)
        include(column: other.maxColumn, row: other.maxRow)
    }
}

extension CellBox {
    /// The box as fractions of a picture of `columns` × `rows` cells.
    func normalized(columns: Int, rows: Int) -> BoundingBox {
        BoundingBox(x: Double(minColumn) / Double(columns), y: Double(minRow) / Double(rows),
                    width: Double(maxColumn - minColumn + 1) / Double(columns),
                    height: Double(maxRow - minRow + 1) / Double(rows))
    }
}

/// Consecutive moving frames.
struct Run: Sendable {
    var start: Double
    var lastMoving: Double
    var qualified = false
    var peakTime: Double
    var peakScore = -1.0
    var scoreSum = 0.0
    var frames = 0
    var peakArea = 0.0
    var box: CellBox?
    var footprint = MotionFootprint()

    init(start: Double) {
        self.start = start
        self.lastMoving = start
        self.peakTime = start
    }

    /// Adds a moving frame; returns whether it is the run's new peak.
    mutating func add(time: Double, score: Double, area: Double, box frameBox: CellBox?, footprint frame: MotionFootprint)
        -> Bool
    {
        lastMoving = time
        footprint.formUnion(frame)
        frames += 1
        scoreSum += score
        peakArea = max(peakArea, area)
        if let frameBox { if box == nil { box = frameBox } else { box!.include(frameBox) } }
        if score > peakScore {
            peakScore = score
            peakTime = time
            return true
        }
        return false
    }
}
