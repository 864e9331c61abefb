import MediaIO
import Motion

/// The analysis side of a scan: luma grids, the detector, and event stills. Runs on its own
/// thread; the decoding thread only reads the result after the hand-off has drained.
final class FrameAnalyser: @unchecked Sendable {
    private let settings: IndexSettings
    private let cellSize: Int
    private var detector: MotionDetector?
    private var health: PictureHealth?
    private var runPeakFrame: DecodedFrame?
    private var bestStill: (score: Double, jpeg: [UInt8])?
    private var events: [RecordingIndexer.FoundEvent] = []
    private var failure: MediaIOError?
    private var analysedFrames = 0
    private var analysisTime = Duration.zero

    /// Frames analysed and the time spent on their grids and the detector. Read after `consume` returned.
    var cost: (frames: Int, seconds: Double) {
        (analysedFrames, Double(analysisTime.components.seconds) + Double(analysisTime.components.attoseconds) / 1e18)
    }

    init(settings: IndexSettings, width: Int) {
        self.settings = settings
        self.cellSize = LumaGrid.cellSize(forWidth: max(width, 1), targetColumns: settings.gridColumns)
    }

    /// Takes frames until the hand-off closes, then flushes the detector.
    func consume(_ handoff: FrameHandoff) {
        let rowStep = max(1, cellSize / 4)
        do {
            let clock = ContinuousClock()
            while let transfer = handoff.take() {
                let frame = transfer.frame
                let started = clock.now
                defer {
                    analysisTime += clock.now - started
                    analysedFrames += 1
                }
                let grid = try frame.lumaGrid(cellSize: cellSize, rowStep: rowStep)
                if var previous = detector, previous.columns != grid.columns || previous.rows != grid.rows {
                    // The stream changed resolution (a recorder switching streams): close what the
                    // old detector had and start afresh at the new size.
                    try handle(previous.finish())
                    detector = nil
                }
                if detector == nil {
                    detector = MotionDetector(settings: settings.motion, columns: grid.columns, rows: grid.rows)
                    health = PictureHealth(columns: grid.columns, rows: grid.rows)
                }
                health!.offer(grid.values, time: frame.time)
                let verdict = detector!.process(grid.values, time: frame.time, followsKeyframe: transfer.followsKeyframe)
                // Outputs first: a run that ended on this frame gets its own peak frame as its still,
                // and only then may this frame become the new run's peak.
                if !verdict.outputs.isEmpty { try handle(verdict.outputs) }
                if verdict.isRunPeak { runPeakFrame = frame }
            }
            if var finished = detector { try handle(finished.finish()) }
        } catch {
            failure = error
            handoff.cancel()
        }
        runPeakFrame = nil
    }

    /// The events found and the picture health, or the analysis error. Call only after `consume` returned.
    func result(path: String) throws(IngestError) -> ([RecordingIndexer.FoundEvent], PictureHealth.Verdict?) {
        if let failure { throw IngestError(.unreadable, path: path, reason: failure.reason) }
        return (events, health?.verdict())
    }

    private func handle(_ outputs: [DetectorOutput]) throws(MediaIOError) {
        for output in outputs {
            switch output {
            case let .runEnded(qualified, _, peakScore):
                if qualified, let frame = runPeakFrame, peakScore > (bestStill?.score ?? -1) {
                    bestStill = (peakScore, try frame.jpeg(maxWidth: settings.stillMaxWidth))
                }
                runPeakFrame = nil
            case let .eventClosed(motion):
                events.append(RecordingIndexer.FoundEvent(motion: motion, still: bestStill?.jpeg))
                bestStill = nil
            case .eventDiscarded:
                bestStill = nil
            }
        }
    }
}
