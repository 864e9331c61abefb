import Foundation
import Motion
import Testing

@Suite("Picture health")
struct PictureHealthTests {
    func verdict(seconds: Int = 20, _ make: (inout SyntheticScene, Int) -> [Float]) -> PictureHealth.Verdict? {
        var scene = SyntheticScene()
        // Large structure, like facades and road, on top of the fine texture.
        for i in scene.background.indices {
            let row = i / SyntheticScene.columns, column = i % SyntheticScene.columns
            scene.background[i] = scene.background[i] * 0.3 + (((column / 24) + (row / 18)) % 2 == 0 ? 50 : 150)
        }
        var health = PictureHealth(columns: SyntheticScene.columns, rows: SyntheticScene.rows)
        for second in 0..<seconds {
            for frame in 0..<5 { health.offer(make(&scene, second), time: Double(second) + Double(frame) * 0.2) }
        }
        return health.verdict()
    }

    @Test("a normal noisy street is neither black nor frozen")
    func healthy() throws {
        let result = try #require(verdict { scene, _ in scene.frame() })
        #expect(!result.black && !result.frozen)
        #expect(result.signature.count == PictureHealth.signatureColumns * PictureHealth.signatureRows)
    }

    @Test("a dark, noisy picture is black")
    func black() throws {
        let result = try #require(verdict { scene, _ in scene.frame(gain: 0.05, offset: 4) })
        #expect(result.black && !result.frozen)
    }

    @Test("a repeated picture (no sensor noise at all) is frozen")
    func frozen() throws {
        var scene = SyntheticScene()
        let still = scene.frame(noise: 0)
        #expect(try #require(verdict { _, _ in still }).frozen)
    }

    @Test("too short to judge gives no verdict")
    func tooShort() {
        #expect(verdict(seconds: 2) { scene, _ in scene.frame() } == nil)
    }

    @Test("a moved view is told apart from a brightness change or passing traffic")
    func viewChanges() throws {
        let before = try #require(verdict { scene, _ in scene.frame() }).signature
        let dusk = try #require(verdict { scene, _ in scene.frame(gain: 0.8, offset: -10) }).signature
        let traffic = try #require(verdict { scene, second in
            scene.frame(object: (column: (second * 8) % 150, row: 30, size: 12))
        }).signature
        let moved = try #require(verdict { scene, _ in
            // The camera turned: the picture shifts by a fifth of its width.
            let frame = scene.frame()
            return (0..<frame.count).map { i in
                let row = i / SyntheticScene.columns, column = i % SyntheticScene.columns
                return frame[row * SyntheticScene.columns + (column + 32) % SyntheticScene.columns]
            }
        }).signature
        let duskChanged = PictureHealth.viewChanged(from: before, to: dusk)
        let trafficChanged = PictureHealth.viewChanged(from: before, to: traffic)
        let movedChanged = PictureHealth.viewChanged(from: before, to: moved)
        #expect(!duskChanged)
        #expect(!trafficChanged)
        #expect(movedChanged)
    }
}
