import Foundation
import FuzzSupport
import MediaIO

/// Mutated recordings through MediaIO: probe, then decode up to 30 frames and their luma grids.
func fuzzMedia(_ bytes: UnsafeRawBufferPointer) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-media-\(getpid())").path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
    defer { unlink(path) }
    _ = try? MediaProbe.probe(path: path)
    guard let decoder = try? VideoDecoder(path: path) else { return }
    var frames = 0
    while frames < 30, let frame = try? decoder.nextFrame() {
        _ = try? frame.lumaGrid(cellSize: 8)
        frames += 1
    }
}

FuzzDriver.run(fuzzMedia)
