/// The robust measures both detectors take of a frame against its reference: the median of cell
/// values (by histogram, in linear time) and the global light change (gain and offset).

/// Medians of luma differences to a quarter level, reusing one histogram buffer.
struct MedianHistogram: Sendable {
    static let bins = 2048
    /// Bins per luma level: differences in [-256, 256) fit.
    static let scale: Float = 4

    private var counts = [Int32](repeating: 0, count: MedianHistogram.bins)

    /// The median of `values` (only where `mask` is true, when given); 0 for no values.
    mutating func median(of values: [Float], where mask: [Bool]? = nil) -> Float {
        let bins = Self.bins
        let half = Float(bins / 2)
        var total: Int32 = 0
        counts.withUnsafeMutableBufferPointer { h in
            for i in 0..<bins { h[i] = 0 }
            for i in 0..<values.count where mask?[i] ?? true {
                h[Int(min(max(values[i] * Self.scale + half, 0), Float(bins - 1)))] += 1
                total += 1
            }
        }
        guard total > 0 else { return 0 }
        var seen: Int32 = 0
        for bin in 0..<bins {
            seen += counts[bin]
            if seen * 2 >= total { return (Float(bin) + 0.5 - half) / Self.scale }
        }
        return 0
    }
}

/// A global light change: `current ≈ gain × reference + shift`, fitted on the cells that agree with
/// the median `offset` (so moving objects do not pull it) and are not clipped. Dusk, clouds and
/// exposure steps are such changes; an object walking in is not.
struct LightChange: Sendable {
    var gain: Float
    var shift: Float

    init(reference: [Float], current: [Float], offset: Float, where mask: [Bool]? = nil) {
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for i in 0..<current.count where mask?[i] ?? true {
            let x = Double(reference[i]), y = Double(current[i])
            guard abs(Float(y - x) - offset) < 12, x > 3, x < 252, y > 3, y < 252 else { continue }
            n += 1; sx += x; sy += y; sxx += x * x; sxy += x * y
        }
        var gain = 1.0
        var shift = Double(offset)
        if n > 16 {
            let variance = sxx / n - (sx / n) * (sx / n)
            if variance > 25 {
                gain = ((sxy / n) - (sx / n) * (sy / n)) / variance
                // An implausible gain is a scene change, not light: keep the offset only.
                if gain < 0.5 || gain > 2 { gain = 1 }
                shift = sy / n - gain * sx / n
            } else {
                shift = sy / n - sx / n
            }
        }
        self.gain = Float(gain)
        self.shift = Float(shift)
    }
}
