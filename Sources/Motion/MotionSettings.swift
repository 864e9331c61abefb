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
    public var problem: String? { problems.first }

    /// The allowed range of each number, by its configuration name: values outside these are
    /// mistakes (a gap of 1e300 s would overflow every time computed from it).
    public static var ranges: [(name: String, path: KeyPath<MotionSettings, Double>, range: ClosedRange<Double>)] { [
        ("sensitivity", \.sensitivity, 0.001...254.999),
        ("learning_time", \.learningSeconds, 0.5...3600),
        ("min_displacement", \.minimumDisplacement, 0...0.999),
        ("stop_time", \.stopSeconds, 0.001...3600),
        ("noise_factor", \.noiseFactor, 0...100),
        ("min_area", \.minimumArea, 0...1),
        ("min_motion", \.minimumMotionSeconds, 0...3600),
        ("frame_gap", \.frameGapTolerance, 0...3600),
        ("reference_lag", \.referenceLagSeconds, 0...60),
        ("merge_gap", \.mergeGapSeconds, 0...86_400),
        ("min_event", \.minimumEventSeconds, 0...86_400),
        ("max_event", \.maximumEventSeconds, 0.001...86_400),
        ("pre_roll", \.preRollSeconds, 0...3600),
        ("post_roll", \.postRollSeconds, 0...3600),
    ] }

    /// Every setting that makes no sense, each as "field: reason" naming the allowed range.
    public var problems: [String] {
        var found: [String] = []
        for (name, path, range) in Self.ranges {
            let value = self[keyPath: path]
            if !range.contains(value) { // also false for NaN
                let kind = name == "min_area" || name == "min_displacement" ? "a fraction " : ""
                found.append("\(name): must be \(kind)from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound)) (got \(value))")
            }
        }
        if !(1...100_000).contains(minimumBlobCells) { found.append("min_blob: must be from 1 to 100000 cells (got \(minimumBlobCells))") }
        if !(1...100_000).contains(minimumCells) { found.append("min_cells: must be from 1 to 100000 (got \(minimumCells))") }
        if minimumEventSeconds.isFinite, maximumEventSeconds.isFinite, !(maximumEventSeconds > minimumEventSeconds) {
            found.append("max_event: must be longer than min_event")
        }
        for (list, name) in [(include, "include"), (exclude, "exclude")] {
            for (index, polygon) in list.enumerated() {
                if let problem = polygon.problem { found.append("\(name)[\(index)]: \(problem)") }
            }
        }
        return found
    }

    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
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
