/// The detection knobs, with defaults that hold on noisy street footage (see Config/wardwatch.yaml).
///
/// Times are seconds of presentation time, so they mean the same at 25 fps, 12.5 fps or on a
/// variable-frame-rate file. Areas are fractions of the analysed cells (the frame minus masks).
public struct MotionSettings: Sendable, Equatable, Codable {
    /// Which detector runs.
    public enum Model: String, Sendable, Equatable, Codable, CaseIterable {
        /// Each frame against the frame `referenceLagSeconds` back (the first detector).
        case frameDifference = "frame-diff"
        /// Each frame against a learned per-cell background; events need an object that moves.
        case background
    }

    public var model: Model
    /// Background model: how long the background takes to learn a change, in seconds (a cell's mean
    /// moves 1/e of the way to a new value in this time). Also how fast a cell's flicker is learned.
    /// A stopped object stops counting as moving after `stopSeconds`, then blends into the
    /// background in about 2–3 × this.
    public var learningSeconds: Double
    /// Background model: the smallest blob of connected changed cells that can be an object
    /// (cells are about 1/160 of the picture's width: 12 px at 1080p, 4 px at 640×360).
    public var minimumBlobCells: Int
    /// Background model: how far (fraction of the picture's width) an object's centre must travel,
    /// steadily, before its motion starts an event. Things that sway in place never get this far.
    public var minimumDisplacement: Double
    /// Background model: a tracked object that has not moved for this long stops holding its
    /// event open, and the background starts to learn it.
    public var stopSeconds: Double
    /// Lowest change in a cell's mean luma (0–255 levels) that can count as motion. The working
    /// threshold rises above this with the measured noise of each frame.
    public var sensitivity: Double
    /// Threshold in units of the frame's noise (robust standard deviation of cell differences).
    public var noiseFactor: Double
    /// Smallest fraction of analysed cells that must change for a frame to count as moving.
    public var minimumArea: Double
    /// Smallest number of changed cells for a moving frame, whatever the area fraction says.
    public var minimumCells: Int
    /// Motion must last this long to count, so one-frame changes (an on-screen clock ticking,
    /// an exposure step, keyframe pumping) never start an event.
    public var minimumMotionSeconds: Double
    /// Moving frames separated by at most this much still belong to one run.
    public var frameGapTolerance: Double
    /// How far back the reference frame lies; slow movers change more over a longer lag.
    public var referenceLagSeconds: Double
    /// Two motion runs closer than this become one event (independent of pre/post-roll).
    public var mergeGapSeconds: Double
    /// Events shorter than this are dropped.
    public var minimumEventSeconds: Double
    /// Events longer than this are split, so a busy hour is not one giant event.
    public var maximumEventSeconds: Double
    /// Footage kept before an event's first motion for playback and export.
    public var preRollSeconds: Double
    /// Footage kept after an event's last motion for playback and export.
    public var postRollSeconds: Double
    /// Where to look: polygons in normalized coordinates (0...1, origin top left). Empty = whole frame.
    public var include: [Polygon]
    /// Where never to look (an on-screen clock, a flag, a road sign with a screen).
    public var exclude: [Polygon]

    public init(
        model: Model = .background,
        learningSeconds: Double = 10,
        minimumBlobCells: Int = 4,
        minimumDisplacement: Double = 0.02,
        stopSeconds: Double = 3,
        sensitivity: Double = 3,
        noiseFactor: Double = 4.5,
        minimumArea: Double = 0.001,
        minimumCells: Int = 3,
        minimumMotionSeconds: Double = 0.3,
        frameGapTolerance: Double = 0.2,
        referenceLagSeconds: Double = 0.08,
        mergeGapSeconds: Double = 2,
        minimumEventSeconds: Double = 0.5,
        maximumEventSeconds: Double = 600,
        preRollSeconds: Double = 2,
        postRollSeconds: Double = 2,
        include: [Polygon] = [],
        exclude: [Polygon] = []
    ) {
        self.model = model
        self.learningSeconds = learningSeconds
        self.minimumBlobCells = minimumBlobCells
        self.minimumDisplacement = minimumDisplacement
        self.stopSeconds = stopSeconds
        self.sensitivity = sensitivity
        self.noiseFactor = noiseFactor
        self.minimumArea = minimumArea
        self.minimumCells = minimumCells
        self.minimumMotionSeconds = minimumMotionSeconds
        self.frameGapTolerance = frameGapTolerance
        self.referenceLagSeconds = referenceLagSeconds
        self.mergeGapSeconds = mergeGapSeconds
        self.minimumEventSeconds = minimumEventSeconds
        self.maximumEventSeconds = maximumEventSeconds
        self.preRollSeconds = preRollSeconds
        self.postRollSeconds = postRollSeconds
        self.include = include
        self.exclude = exclude
    }

    /// The first setting that makes no sense, as "field: reason", or nil when all are usable.
    public var problem: String? {
        if !(sensitivity > 0 && sensitivity < 255) { return "sensitivity: must be between 0 and 255 luma levels" }
        if !(learningSeconds >= 0.5 && learningSeconds <= 3600) { return "learning_time: must be from 0.5 to 3600 seconds" }
        if minimumBlobCells < 1 { return "min_blob: must be at least 1 cell" }
        if !(minimumDisplacement >= 0 && minimumDisplacement < 1) { return "min_displacement: must be a fraction from 0 to 1" }
        if !(stopSeconds > 0) { return "stop_time: must be greater than 0" }
        if !(noiseFactor >= 0) { return "noise_factor: must not be negative" }
        if !(minimumArea >= 0 && minimumArea < 1) { return "min_area: must be a fraction from 0 to 1" }
        if minimumCells < 1 { return "min_cells: must be at least 1" }
        if !(minimumMotionSeconds >= 0) { return "min_motion: must not be negative" }
        if !(mergeGapSeconds >= 0) { return "merge_gap: must not be negative" }
        if !(minimumEventSeconds >= 0) { return "min_event: must not be negative" }
        if !(maximumEventSeconds > minimumEventSeconds) { return "max_event: must be longer than min_event" }
        if !(preRollSeconds >= 0) { return "pre_roll: must not be negative" }
        if !(postRollSeconds >= 0) { return "post_roll: must not be negative" }
        for (list, name) in [(include, "include"), (exclude, "exclude")] {
            for (index, polygon) in list.enumerated() {
                if let problem = polygon.problem { return "\(name)[\(index)]: \(problem)" }
            }
        }
        return nil
    }
}

/// A polygon in normalized frame coordinates: x and y from 0 to 1, origin at the top left.
public struct Polygon: Sendable, Equatable, Codable {
    public var points: [Point]

    public struct Point: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    public init(_ points: [Point]) { self.points = points }

    /// A rectangle, for regions given as x, y, width, height.
    public static func rectangle(x: Double, y: Double, width: Double, height: Double) -> Polygon {
        Polygon([.init(x: x, y: y), .init(x: x + width, y: y), .init(x: x + width, y: y + height), .init(x: x, y: y + height)])
    }

    var problem: String? {
        if points.count < 3 { return "a polygon needs at least 3 points" }
        if points.contains(where: { !(0...1).contains($0.x) || !(0...1).contains($0.y) }) {
            return "coordinates must be normalized (0 to 1)"
        }
        return nil
    }

    /// Even–odd rule point-in-polygon test.
    public func contains(x: Double, y: Double) -> Bool {
        var inside = false
        var j = points.count - 1
        for i in points.indices {
            let a = points[i], b = points[j]
            if (a.y > y) != (b.y > y), x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }
}
