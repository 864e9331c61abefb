/// One motion event as the detector saw it, in seconds of the recording's presentation time.
public struct DetectedMotion: Sendable, Equatable {
    /// First moving frame.
    public var start: Double
    /// Last moving frame.
    public var end: Double
    /// The frame with the highest score: where the event's still is taken.
    public var peakTime: Double
    /// Highest frame score. A frame's score is the sum, over changed cells, of their change in
    /// units of that frame's threshold, divided by the number of analysed cells.
    public var peakScore: Double
    /// Mean score over the moving frames.
    public var meanScore: Double
    /// Largest fraction of analysed cells that changed in one frame.
    public var peakArea: Double
    /// Where motion happened, normalized to the frame (0...1, origin top left).
    public var boundingBox: BoundingBox
    /// How many frames counted as moving.
    public var movingFrames: Int
    /// Where motion happened, coarsely: `MotionFootprint.rows` words of `MotionFootprint.columns`
    /// bits (bit c of word r = column c of row r of a grid laid over the whole picture).
    public var footprint: [UInt32] = []
    /// The main moving object's centroid about once a second (normalized, origin top left), in time
    /// order: where it came from and where it went. Empty when the detector does not track objects.
    public var path: [PathPoint] = []

    public var duration: Double { end - start }
}

/// One point of an object's path: its centroid at `time` (seconds of presentation time).
public struct PathPoint: Sendable, Equatable, Codable {
    public var time: Double
    public var x: Double
    public var y: Double

    public init(time: Double, x: Double, y: Double) {
        self.time = time
        self.x = x
        self.y = y
    }
}

/// A coarse grid of the picture's cells that moved: 32 × 18 bits, one word per row.
public struct MotionFootprint: Sendable, Equatable {
    public static let columns = 32
    public static let rows = 18
    public private(set) var words: [UInt32]

    public init() { words = [UInt32](repeating: 0, count: Self.rows) }

    public var isEmpty: Bool { !words.contains { $0 != 0 } }

    /// Marks the footprint cell under a detector cell (`column`, `row`) of a `columns` × `rows` grid.
    @inline(__always)
    public mutating func mark(column: Int, row: Int, columns: Int, rows: Int) {
        let c = column * Self.columns / columns, r = row * Self.rows / rows
        words[r] |= 1 << UInt32(c)
    }

    public mutating func formUnion(_ other: MotionFootprint) {
        for index in words.indices { words[index] |= other.words[index] }
    }
}

/// An axis-aligned box in normalized coordinates.
public struct BoundingBox: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// What the detector tells its caller as frames go by, in order.
public enum DetectorOutput: Sendable, Equatable {
    /// A run of consecutive moving frames ended. `qualified` runs were long enough to be motion;
    /// the caller may make a still of the run's peak frame (it was flagged `isRunPeak`).
    case runEnded(qualified: Bool, peakTime: Double, peakScore: Double)
    /// An event is complete (no further motion within the merge gap, or it reached the maximum length).
    case eventClosed(DetectedMotion)
    /// An event closed but was shorter than the minimum event length.
    case eventDiscarded
}

/// The detector's verdict on one frame.
public struct FrameAnalysis: Sendable, Equatable {
    public var time: Double
    /// Fraction of analysed cells that changed.
    public var area: Double
    public var score: Double
    /// The threshold used for this frame, in luma levels.
    public var threshold: Double
    public var isMoving: Bool
    /// This frame is (so far) the highest-scoring frame of the current run: keep it for a still.
    public var isRunPeak: Bool
    public var outputs: [DetectorOutput]
}
