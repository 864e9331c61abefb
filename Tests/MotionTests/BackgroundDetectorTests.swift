import Foundation
import Motion
import Testing

/// Clutter that must never start an event, and movers that must, on synthetic 160×90 grids.
@Suite("Background-model detector on synthetic grids")
struct BackgroundDetectorTests {
    /// Leaves: a textured patch whose texture sways sideways by up to `amplitude` cells.
    static func sway(_ values: inout [Float], time: Double, column: Int, row: Int, width: Int, height: Int,
                     amplitude: Double = 1.5, hertz: Double = 0.6) {
        let shift = amplitude * sin(2 * .pi * hertz * time)
        for r in row..<(row + height) {
            for c in column..<(column + width) {
                let x = Double(c) + shift
                values[r * SyntheticScene.columns + c] = Float(90 + 40 * sin(x * 1.3) * cos(Double(r) * 0.9))
            }
        }
    }

    /// A small dark object of `size` cells at a fractional column: the cells at its edges are covered
    /// in part, as a cell's mean is when an object moves less than a cell between frames.
    static func object(_ values: inout [Float], column: Double, row: Int, size: Int) {
        for r in row..<min(SyntheticScene.rows, row + size) {
            for c in max(0, Int(column.rounded(.down)))...max(0, Int((column + Double(size)).rounded(.down))) {
                guard c < SyntheticScene.columns else { break }
                let covered = min(Double(c + 1), column + Double(size)) - max(Double(c), column)
                guard covered > 0 else { continue }
                let i = r * SyntheticScene.columns + c
                values[i] = Float(covered) * 25 + Float(1 - covered) * values[i]
            }
        }
    }

    @Test("swaying foliage alone gives no event, at several amplitudes and rates")
    func foliage() {
        for (amplitude, hertz) in [(0.8, 1.2), (1.5, 0.6), (2.5, 0.3)] {
            let events = run(frames: 900, fps: 15) { scene, _, t in
                var values = scene.frame()
                Self.sway(&values, time: t, column: 60, row: 20, width: 30, height: 25, amplitude: amplitude, hertz: hertz)
                return values
            }
            #expect(events.isEmpty, "amplitude \(amplitude), \(hertz) Hz: \(events.map { ($0.start, $0.end) })")
        }
    }

    @Test("a person walking through swaying foliage gives one event")
    func walkerThroughFoliage() {
        let events = run(frames: 600, fps: 15) { scene, _, t in
            var values = scene.frame()
            Self.sway(&values, time: t, column: 60, row: 20, width: 30, height: 25)
            if t >= 20, t < 30 { Self.object(&values, column: (t - 20) * 17 - 6, row: 30, size: 6) }
            return values
        }
        #expect(events.count == 1, "\(events.map { ($0.start, $0.end) })")
        if let event = events.first { #expect(abs(event.start - 20) < 0.6 && abs(event.end - 30) < 0.6) }
    }

    @Test("a slow small walker (5 cells, 15 s across) is one event covering at least 90% of its crossing")
    func slowWalker() {
        for (size, seconds) in [(5, 15.0), (4, 20.0), (6, 12.0)] {
            let events = run(frames: Int((seconds + 10) * 15), fps: 15) { scene, _, t in
                var values = scene.frame(noise: 1)
                if t >= 4, t < 4 + seconds {
                    Self.object(&values, column: (t - 4) / seconds * Double(160 + size) - Double(size), row: 50, size: size)
                }
                return values
            }
            #expect(events.count == 1, "size \(size), \(seconds) s: \(events.map { ($0.start, $0.end) })")
            if let event = events.first {
                #expect(event.duration >= 0.9 * seconds, "size \(size): covers \(event.duration) s of \(seconds)")
                #expect(event.path.count >= Int(seconds) - 2, "a centroid about every second: \(event.path.count)")
                if let first = event.path.first, let last = event.path.last { #expect(last.x - first.x > 0.7) }
                #expect(event.footprint[50 * 18 / 90] != 0 && event.footprint[0] == 0)
            }
        }
    }

    @Test("rain (fresh streaks all over every frame) gives no event")
    func rain() {
        var drops = SplitMix(seed: 9)
        // 80 streaks a frame, each 3 cells long and lightening them by 15 levels (a streak is thinner
        // than a cell). Denser still (120 a frame at 30 levels, 2.5% of the picture) gives false events.
        let events = run(frames: 600, fps: 15) { scene, _, _ in
            var values = scene.frame()
            for _ in 0..<80 {
                let column = Int(drops.next() % 159), row = Int(drops.next() % 86)
                for r in row..<(row + 3) { values[r * SyntheticScene.columns + column] += 15 }
            }
            return values
        }
        #expect(events.isEmpty, "\(events.map { ($0.start, $0.end) })")
    }

    /// Frames 86–99 of a 50-frame group of pictures (3.44–3.96 s at 25 fps): a patch that grows
    /// and drifts like a slow object, as a low-bitrate encoder's noise refresh does before a keyframe.
    static func lateInGroup(_ values: inout [Float], frame: Int, until last: Int) {
        guard frame >= 86, frame <= last else { return }
        object(&values, column: 100 + Double(frame - 86) * 0.6, row: 40, size: 4 + min(frame - 86, 6))
    }

    @Test("a patch that drifts late in a group of pictures and vanishes at the keyframe is no event; an object that stays is")
    func wipedAtKeyframe() {
        let artefact = { (scene: inout SyntheticScene, i: Int, _: Double) -> [Float] in
            var values = scene.frame()
            Self.lateInGroup(&values, frame: i, until: 99)
            return values
        }
        // Without keyframe flags the patch is indistinguishable from an object: the test can fail.
        let unflagged = run(frames: 250, artefact)
        #expect(unflagged.count == 1, "control: \(unflagged.map { ($0.start, $0.end) })")
        let flagged = run(frames: 250, keyframeEvery: 50, artefact)
        #expect(flagged.isEmpty, "\(flagged.map { ($0.start, $0.end) })")

        // An object that crossed half the picture and left a smear that the keyframe clears keeps its event.
        let smeared = run(frames: 250, keyframeEvery: 50) { scene, i, _ in
            guard i >= 55, i < 100 else { return scene.frame() }
            return scene.frame(object: (column: 10 + 2 * (min(i, 94) - 55), row: 40, size: 8))
        }
        #expect(smeared.count == 1, "\(smeared.map { ($0.start, $0.end) })")

        // A person who walked in from the edge, went behind something after 22 cells and left a smear
        // that the keyframe clears keeps the event.
        let occluded = run(frames: 250, keyframeEvery: 50) { scene, i, _ in
            guard i >= 60, i < 100 else { return scene.frame() }
            return scene.frame(object: (column: -6 + min(i, 88) - 60, row: 40, size: 8))
        }
        #expect(occluded.count == 1, "\(occluded.map { ($0.start, $0.end) })")

        // An object crossing from 3.2 s to 6 s, through the keyframe at 4 s (frame 100).
        let object = run(frames: 250, keyframeEvery: 50) { scene, i, _ in
            guard i >= 80, i < 150 else { return scene.frame() }
            return scene.frame(object: (column: 10 + Int(Double(i - 80) * 1.5), row: 40, size: 8))
        }
        #expect(object.count == 1, "\(object.map { ($0.start, $0.end) })")
        if let event = object.first { #expect(abs(event.start - 3.2) < 0.3 && abs(event.end - 6) < 0.5, "\(event.start)–\(event.end)") }

        // Intra-only (every frame a keyframe): keyframes tell nothing, an abrupt end keeps its event.
        let intra = run(frames: 250, keyframeEvery: 1, artefact)
        #expect(intra.count == 1, "\(intra.map { ($0.start, $0.end) })")
    }

    @Test("a large uniform object crawling across (a car in a jam) is one event from entry to exit")
    func slowLargeObject() {
        // 8×8 cells of one dark grey, 0.5 cells a frame: only the edges that cross a cell boundary in a
        // frame change, so the centre of the changing cells wobbles by a cell or two around its course.
        let events = run(frames: 1000, fps: 25) { scene, i, _ in
            var values = scene.frame()
            if i >= 100, i < 450 { Self.object(&values, column: -12 + Double(i - 100) * 0.5, row: 50, size: 8) }
            return values
        }
        #expect(events.count == 1, "\(events.map { ($0.start, $0.end) })")
        if let event = events.first { #expect(abs(event.start - 4) < 0.5 && abs(event.end - 18) < 0.5, "\(event.start)–\(event.end)") }
    }

    @Test("a colour-to-IR switch (uneven jump) and auto-exposure hunting relearn without an event")
    func dayNightSwitch() {
        let events = run(frames: 900, fps: 15) { scene, _, t in
            guard t >= 20 else { return scene.frame() }
            // IR: brighter in the middle (the illuminator), a different exposure, hunting for 4 s.
            let hunting: Float = t < 24 ? 0.15 * Float(sin(2 * .pi * 0.8 * t)) : 0
            var values = scene.frame(gain: 1.3 + hunting, offset: 10)
            for r in 0..<SyntheticScene.rows {
                for c in 0..<SyntheticScene.columns {
                    let dx = Float(c - 80) / 80, dy = Float(r - 45) / 45
                    values[r * SyntheticScene.columns + c] *= 1.2 - 0.5 * (dx * dx + dy * dy) / 2
                }
            }
            return values
        }
        #expect(events.isEmpty, "\(events.map { ($0.start, $0.end) })")
    }

    @Test("an object that stops ends its event and is learned into the background")
    func stoppedObject() {
        let events = run(frames: 1200, fps: 15) { scene, _, t in
            var values = scene.frame()
            if t >= 5 { Self.object(&values, column: min(t - 5, 5) * 12, row: 40, size: 6) }
            return values
        }
        #expect(events.count == 1, "\(events.map { ($0.start, $0.end) })")
        if let event = events.first { #expect(event.end < 10 + 3.5) }
    }

    @Test("the frame-difference detector is still selectable and still finds a crossing")
    func oldModel() {
        let events = run(MotionSettings(model: .frameDifference), frames: 250) { scene, _, t in
            guard t >= 4, t < 5.5 else { return scene.frame() }
            return scene.frame(object: (column: Int((t - 4) / 1.5 * 170) - 10, row: 40, size: 10))
        }
        #expect(events.count == 1)
        #expect(events.first?.path.isEmpty == true)
        #expect(events.first.map { $0.footprint.contains { $0 != 0 } } == true)
    }
}
