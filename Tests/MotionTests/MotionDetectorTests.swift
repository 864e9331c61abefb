import Foundation
import Motion
import Testing

/// A synthetic 160×90 scene: textured background, per-frame noise, and optional disturbances.
struct SyntheticScene {
    static let columns = 160, rows = 90
    var background: [Float]
    var generator = SplitMix(seed: 7)

    init() {
        var texture = SplitMix(seed: 1)
        background = (0..<(Self.columns * Self.rows)).map { _ in 60 + Float(texture.next() % 120) }
    }

    /// One frame at `time`: background × gain + offset, plus noise, plus a square "object".
    mutating func frame(gain: Float = 1, offset: Float = 0, noise: Float = 0.6,
                        object: (column: Int, row: Int, size: Int)? = nil, patch: (index: Int, value: Float)? = nil) -> [Float] {
        var values = background.map { min(255, max(0, $0 * gain + offset)) }
        for i in values.indices { values[i] += noise * generator.gaussian() }
        if let object {
            for r in object.row..<min(Self.rows, object.row + object.size) {
                for c in max(0, object.column)..<min(Self.columns, object.column + object.size) where c >= 0 {
                    values[r * Self.columns + c] = 30 + Float((r * 7 + c * 13) % 40)
                }
            }
        }
        if let patch {
            // A 6×3 block of cells, like the digits of an on-screen clock.
            for r in 2..<5 { for c in patch.index..<(patch.index + 6) { values[r * Self.columns + c] = patch.value } }
        }
        return values
    }
}

/// Deterministic pseudo-random numbers.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }
    mutating func gaussian() -> Float {
        let u = max(uniform(), 1e-7), v = uniform()
        return (-2 * logf(u)).squareRoot() * cosf(2 * .pi * v)
    }
}

/// Runs a detector over `frames` synthetic frames; with `keyframeEvery`, every that many frames
/// is flagged as following a keyframe (frame 0 included), as a decoder's groups of pictures are.
func run(_ settings: MotionSettings = MotionSettings(), frames: Int, fps: Double = 25, keyframeEvery: Int? = nil,
         _ make: (inout SyntheticScene, Int, Double) -> [Float]) -> [DetectedMotion] {
    var scene = SyntheticScene()
    var detector = MotionDetector(settings: settings, columns: SyntheticScene.columns, rows: SyntheticScene.rows)
    var events: [DetectedMotion] = []
    func collect(_ outputs: [DetectorOutput]) {
        for case let .eventClosed(motion) in outputs { events.append(motion) }
    }
    for index in 0..<frames {
        let time = Double(index) / fps
        let keyframe = keyframeEvery.map { index % $0 == 0 } ?? false
        collect(detector.process(make(&scene, index, time), time: time, followsKeyframe: keyframe).outputs)
    }
    collect(detector.finish())
    return events
}

@Suite("Motion detector on synthetic grids")
struct MotionDetectorTests {
    @Test("sensor noise alone gives no event")
    func noiseOnly() {
        #expect(run(frames: 750) { scene, _, _ in scene.frame(noise: 1.2) }.isEmpty)
    }

    @Test("a slow light ramp (dusk) gives no event")
    func slowRamp() {
        #expect(run(frames: 1500) { scene, _, t in scene.frame(gain: Float(1 - 0.006 * t), offset: Float(-0.3 * t)) }.isEmpty)
    }

    @Test("a sudden exposure jump, held, gives no event")
    func exposureJump() {
        let events = run(frames: 750) { scene, _, t in t < 12 ? scene.frame() : scene.frame(gain: 1.25, offset: 18) }
        #expect(events.isEmpty)
    }

    @Test("auto-exposure swinging over 0.6 s (longer than the persistence rule) gives no event")
    func exposureRamp() {
        let events = run(frames: 750) { scene, i, _ in
            let step = Float(min(max(i - 300, 0), 15)) / 15
            return scene.frame(gain: 1 + 0.6 * step, offset: -20 * step)
        }
        #expect(events.isEmpty)
    }

    @Test("a clock that ticks every second gives no event")
    func tickingClock() {
        let events = run(frames: 1500) { scene, _, t in
            let second = Int(t)
            return scene.frame(patch: (index: 4, value: second % 2 == 0 ? 230 : 40))
        }
        #expect(events.isEmpty)
    }

    @Test("keyframe pumping (every 50th frame shifts all cells a little) gives no event")
    func keyframePumping() {
        var pump = SplitMix(seed: 3)
        let events = run(frames: 750) { scene, i, _ in
            var values = scene.frame()
            if i % 50 == 0 { for k in values.indices { values[k] += 2.5 * pump.gaussian() } }
            return values
        }
        #expect(events.isEmpty)
    }

    @Test("an object crossing for 1.5 s gives one event at the right time")
    func shortCrossing() {
        let events = run(frames: 250) { scene, _, t in
            guard t >= 4, t < 5.5 else { return scene.frame() }
            let column = Int((t - 4) / 1.5 * 170) - 10
            return scene.frame(object: (column: column, row: 40, size: 10))
        }
        #expect(events.count == 1)
        if let event = events.first {
            #expect(abs(event.start - 4) < 0.25)
            #expect(abs(event.end - 5.5) < 0.5)
            #expect(event.boundingBox.y > 0.4 && event.boundingBox.y < 0.5)
            #expect(event.peakArea > 0)
        }
    }

    @Test("two crossings closer than the merge gap become one event; farther apart, two")
    func mergeGap() {
        func crossings(gap: Double) -> [DetectedMotion] {
            run(frames: Int((8 + gap) * 25)) { scene, _, t in
                for start in [2.0, 4.0 + gap] where t >= start && t < start + 2 {
                    return scene.frame(object: (column: Int((t - start) * 80), row: 30, size: 8))
                }
                return scene.frame()
            }
        }
        #expect(crossings(gap: 1).count == 1)
        #expect(crossings(gap: 3).count == 2)
    }

    @Test("motion longer than the maximum event length is split")
    func maximumLength() {
        let settings = MotionSettings(maximumEventSeconds: 5)
        let events = run(settings, frames: 400) { scene, i, t in
            guard t >= 1, t < 13 else { return scene.frame() }
            return scene.frame(object: (column: (i * 2) % 150, row: 20, size: 8))
        }
        #expect(events.count >= 2)
        #expect(events.allSatisfy { $0.duration <= 5.1 })
    }

    @Test("motion inside an exclusion mask is ignored; outside an include region too")
    func masks() {
        func crossing(_ settings: MotionSettings) -> [DetectedMotion] {
            run(settings, frames: 200) { scene, _, t in
                guard t >= 2, t < 5 else { return scene.frame() }
                return scene.frame(object: (column: Int((t - 2) * 50), row: 10, size: 8))
            }
        }
        let topBand = Polygon.rectangle(x: 0, y: 0, width: 1, height: 0.3)
        let bottomBand = Polygon.rectangle(x: 0, y: 0.5, width: 1, height: 0.5)
        #expect(crossing(MotionSettings()).count == 1)
        #expect(crossing(MotionSettings(exclude: [topBand])).isEmpty)
        #expect(crossing(MotionSettings(include: [bottomBand])).isEmpty)
        #expect(crossing(MotionSettings(include: [topBand])).count == 1)
    }

    @Test("time comes from the timestamps: a variable frame rate does not shift events")
    func variableFrameRate() {
        var scene = SyntheticScene()
        var detector = MotionDetector(settings: MotionSettings(), columns: SyntheticScene.columns, rows: SyntheticScene.rows)
        var events: [DetectedMotion] = []
        var time = 0.0
        while time < 20 {
            let values: [Float] = time >= 12 && time < 15
                ? scene.frame(object: (column: Int((time - 12) * 50), row: 50, size: 9)) : scene.frame()
            for case let .eventClosed(motion) in detector.process(values, time: time).outputs { events.append(motion) }
            time += time < 10 ? 0.04 : 0.1 // 25 fps, then 10 fps
        }
        for case let .eventClosed(motion) in detector.finish() { events.append(motion) }
        #expect(events.count == 1)
        #expect(abs((events.first?.start ?? 0) - 12) < 0.25)
    }

    @Test("slow footage (4 fps, frames further apart than the gap tolerance) still gives its event")
    func lowFrameRate() {
        let events = run(frames: 80, fps: 4) { scene, _, t in
            guard t >= 5, t < 9 else { return scene.frame() }
            return scene.frame(object: (column: Int((t - 5) * 35), row: 40, size: 10))
        }
        #expect(events.count == 1)
        #expect(abs((events.first?.start ?? 0) - 5) <= 0.5)
    }

    @Test("settings problems name the field")
    func settingsValidation() {
        #expect(MotionSettings().problem == nil)
        #expect(MotionSettings(minimumArea: 2).problem?.hasPrefix("min_area") == true)
        #expect(MotionSettings(minimumEventSeconds: 10, maximumEventSeconds: 5).problem?.hasPrefix("max_event") == true)
        #expect(MotionSettings(exclude: [Polygon([.init(x: 0, y: 0), .init(x: 1, y: 1)])]).problem?.hasPrefix("exclude[0]") == true)
    }
}
