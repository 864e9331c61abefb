/// Whether two keyframes of a recording, a group of pictures apart, differ the way motion does.
/// Fast mode's triage uses it to pick the stretches worth decoding in full.
public enum KeyframeChange {
    /// True when enough cells changed beyond the noise, after removing a global brightness shift
    /// (exposure). Uses the detector's own area test: two keyframes apart, a mover shows twice
    /// (where it was and where it is), so this is already lenient; a smaller area would flag an
    /// on-screen clock.
    public static func looksLikeMotion(_ a: [Float], _ b: [Float], settings: MotionSettings) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return true }
        var differences = [Float](repeating: 0, count: a.count)
        for index in a.indices { differences[index] = b[index] - a[index] }
        let shift = median(differences)
        for index in differences.indices { differences[index] = abs(differences[index] - shift) }
        let noise = Double(median(differences)) * 1.4826
        let threshold = Float(max(settings.sensitivity, settings.noiseFactor * noise))
        var count = 0
        for value in differences where value > threshold { count += 1 }
        return count >= max(2, settings.minimumCells) && Double(count) / Double(a.count) >= settings.minimumArea
    }

    static func median(_ values: [Float]) -> Float {
        var sorted = values
        sorted.sort()
        return sorted[sorted.count / 2]
    }
}
