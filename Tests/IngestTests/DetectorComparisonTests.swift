import Foundation
import Ingest
import Motion
import TestSupport
import Testing

/// How detected intervals compare with a sample's truth.
struct DetectionScore {
    var detected: Int
    var truthIntervals: Int
    var recall: Double
    var precision: Double
    /// The largest start or end error (seconds) over the truth intervals that were found.
    var worstBoundary: Double
    /// Detected events that overlap a stretch where only clutter moves.
    var quietEvents: Int

    init(detected: [(Double, Double)], truth sample: SampleRecordings.Truth) {
        let truth = (sample.motion ?? []).map { ($0[0], $0[1]) }
        let score = IntervalMatching.score(detected: detected, truth: truth)
        self.detected = detected.count
        truthIntervals = truth.count
        recall = score.recall
        precision = score.precision
        var worst = 0.0
        for interval in truth {
            let overlapping = detected.filter { $0.0 < interval.1 && $0.1 > interval.0 }
            guard let first = overlapping.map(\.0).min(), let last = overlapping.map(\.1).max() else { continue }
            worst = max(worst, abs(first - interval.0), abs(last - interval.1))
        }
        worstBoundary = worst
        quietEvents = detected.filter { event in (sample.quiet ?? []).contains { event.0 < $0[1] && event.1 > $0[0] } }.count
    }
}

/// The table in BENCHMARKS.md: both detectors on every sample with truth, through the same indexer.
/// Decodes every sample twice, so it runs only when asked:
/// `WARDWATCH_DETECTOR_COMPARISON=1 swift test --skip-build --disable-xctest --filter DetectorComparison`
@Suite("Detector comparison (old against new)", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["WARDWATCH_DETECTOR_COMPARISON"] != nil))
struct DetectorComparisonTests {
    @Test("prints recall, precision, worst boundary and quiet-stretch events of both detectors per sample")
    func comparison() async throws {
        var lines = ["| sample | truth | model | events | recall | precision | worst boundary (s) | events in quiet stretches |",
                     "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        var totals: [MotionSettings.Model: (found: Double, truth: Int, correct: Double, detected: Int)] = [:]
        for name in SampleRecordings.videoSamples {
            let sample = try #require(SampleRecordings.truth[name])
            for model in [MotionSettings.Model.frameDifference, .background] {
                let folder = TemporaryDirectory()
                defer { folder.remove() }
                var settings = IndexSettings()
                settings.motion.model = model
                let detected = intervals(try await indexFresh(SampleRecordings.url(name).path, settings: settings, folder: folder).outcome)
                let score = DetectionScore(detected: detected, truth: sample)
                lines.append(String(format: "| %@ | %d | %@ | %d | %.2f | %.2f | %.2f | %d |", name, score.truthIntervals,
                                    model.rawValue, score.detected, score.recall, score.precision, score.worstBoundary,
                                    score.quietEvents))
                var total = totals[model] ?? (0, 0, 0, 0)
                total.found += score.recall * Double(score.truthIntervals)
                total.truth += score.truthIntervals
                total.correct += score.precision * Double(score.detected)
                total.detected += score.detected
                totals[model] = total
            }
        }
        for (model, total) in totals.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            lines.append(String(format: "| **all samples** | %d | %@ | %d | %.3f | %.3f | | |", total.truth, model.rawValue,
                                total.detected, total.found / Double(max(total.truth, 1)),
                                total.detected == 0 ? 1 : total.correct / Double(total.detected)))
        }
        print(lines.joined(separator: "\n"))
    }
}
