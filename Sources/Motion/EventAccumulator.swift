/// What an event is made of so far: its span, peak, score and the cells that moved. Both detectors
/// build their events with it (frame-diff from qualified runs, the background model frame by frame).
struct EventAccumulator: Sendable {
    var start: Double
    var end: Double
    var peakTime: Double
    var peakScore: Double
    var scoreSum: Double
    var frames: Int
    var peakArea: Double
    var box: CellBox?
    var footprint: MotionFootprint

    /// An event from `start` whose first evidence is at `time`, with no frame counted yet.
    init(start: Double, time: Double) {
        self.start = start; end = time
        peakTime = time; peakScore = -1
        scoreSum = 0; frames = 0
        peakArea = 0; box = nil
        footprint = MotionFootprint()
    }

    init(run: Run) {
        start = run.start; end = run.lastMoving
        peakTime = run.peakTime; peakScore = run.peakScore
        scoreSum = run.scoreSum; frames = run.frames
        peakArea = run.peakArea; box = run.box
        footprint = run.footprint
    }

    mutating func include(_ other: CellBox) {
        if box == nil { box = other } else { box!.include(other) }
    }

    mutating func merge(_ run: Run) {
        end = max(end, run.lastMoving)
        footprint.formUnion(run.footprint)
        if run.peakScore > peakScore { peakScore = run.peakScore; peakTime = run.peakTime }
        scoreSum += run.scoreSum; frames += run.frames
        peakArea = max(peakArea, run.peakArea)
        if let other = run.box { include(other) }
    }

    /// Counts one moving frame; returns whether it is the new peak.
    @discardableResult
    mutating func add(time: Double, score: Double, area: Double, box frameBox: CellBox?, footprint frame: MotionFootprint)
        -> Bool
    {
        end = max(end, time)
        footprint.formUnion(frame)
        scoreSum += score; frames += 1
        peakArea = max(peakArea, area)
        if let frameBox { include(frameBox) }
        guard score > peakScore else { return false }
        peakScore = score; peakTime = time
        return true
    }

    func motion(columns: Int, rows: Int, path: [PathPoint] = []) -> DetectedMotion {
        let bounds = box?.normalized(columns: columns, rows: rows) ?? BoundingBox(x: 0, y: 0, width: 0, height: 0)
        return DetectedMotion(start: start, end: end, peakTime: peakTime, peakScore: peakScore,
                              meanScore: frames > 0 ? scoreSum / Double(frames) : 0, peakArea: peakArea,
                              boundingBox: bounds, movingFrames: frames, footprint: footprint.words, path: path)
    }
}
