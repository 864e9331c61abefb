/// Watches a recording's picture for the problems that make a camera useless: black (covered,
/// night without IR, dead sensor), frozen (the encoder repeats one picture), and — compared with the
/// camera's previous recording — a view that moved (turned, knocked, obstructed).
///
/// Samples about one grid per second, so it costs nothing next to decoding. Real sensors always
/// add noise, so two identical samples a second apart mean a frozen picture, not a still street.
public struct PictureHealth: Sendable {
    public struct Verdict: Sendable, Equatable {
        /// Most samples are near black.
        public var black: Bool
        /// Most consecutive samples (a second apart) are the same picture.
        public var frozen: Bool
        /// The time-averaged picture, `signatureColumns × signatureRows` cells: what "the view" looks like.
        public var signature: [Float]
    }

    public static let signatureColumns = 32
    public static let signatureRows = 18

    private let columns: Int
    private let rows: Int
    private var lastSampleTime = -Double.infinity
    private var previous: [Float]?
    private var samples = 0
    private var darkSamples = 0
    private var identicalPairs = 0
    private var sum: [Double]

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        self.sum = [Double](repeating: 0, count: Self.signatureColumns * Self.signatureRows)
    }

    /// Offers a frame's grid; only about one per second is kept.
    public mutating func offer(_ values: [Float], time: Double) {
        guard time - lastSampleTime >= 1 else { return }
        lastSampleTime = time
        samples += 1
        // Black: nearly every cell below 40 (video black is 16; a lit street always has brighter parts).
        var darkCells = 0
        for value in values where value < 40 { darkCells += 1 }
        if darkCells * 100 >= values.count * 97 { darkSamples += 1 }
        // Frozen: a second later, the cells moved by less than sensor noise ever allows.
        if let previous {
            var difference: Float = 0
            for (a, b) in zip(previous, values) { difference += abs(a - b) }
            if difference / Float(max(values.count, 1)) < 0.02 { identicalPairs += 1 }
        }
        previous = values
        for row in 0..<rows {
            let target = min(Self.signatureRows - 1, row * Self.signatureRows / rows)
            for column in 0..<columns {
                sum[target * Self.signatureColumns + min(Self.signatureColumns - 1, column * Self.signatureColumns / columns)] +=
                    Double(values[row * columns + column])
            }
        }
    }

    /// The verdict over everything offered (nil when fewer than 3 samples: too short to judge).
    public func verdict() -> Verdict? {
        guard samples >= 3 else { return nil }
        var counts = [Double](repeating: 0, count: sum.count)
        for row in 0..<rows {
            let target = min(Self.signatureRows - 1, row * Self.signatureRows / rows)
            for column in 0..<columns {
                counts[target * Self.signatureColumns + min(Self.signatureColumns - 1, column * Self.signatureColumns / columns)] += 1
            }
        }
        let signature = zip(sum, counts).map { Float($0 / max($1 * Double(samples), 1)) }
        let black = darkSamples * 10 >= samples * 9
        // A black picture rarely varies either; "black" is the useful diagnosis then.
        return Verdict(black: black, frozen: !black && identicalPairs * 10 >= (samples - 1) * 8,
                       signature: signature)
    }

    /// Whether two signatures show different views: after removing a global brightness change
    /// (a robust gain/offset fit), more than `fraction` of the cells differ by over 20 levels.
    public static func viewChanged(from previous: [Float], to current: [Float], fraction: Double = 0.35) -> Bool {
        guard previous.count == current.count, !previous.isEmpty else { return false }
        let n = Double(previous.count)
        let mx = previous.reduce(0) { $0 + Double($1) } / n, my = current.reduce(0) { $0 + Double($1) } / n
        var sxx = 0.0, sxy = 0.0
        for (x, y) in zip(previous, current) {
            sxx += (Double(x) - mx) * (Double(x) - mx)
            sxy += (Double(x) - mx) * (Double(y) - my)
        }
        let gain = sxx > 1 ? min(2, max(0.5, sxy / sxx)) : 1
        var differing = 0
        for (x, y) in zip(previous, current) where abs(Double(y) - (my + gain * (Double(x) - mx))) > 20 { differing += 1 }
        return Double(differing) / n > fraction
    }
}
