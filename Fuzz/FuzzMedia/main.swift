import Foundation
import MediaIO

/// Mutated recordings through MediaIO: probe, then decode up to 30 frames and their luma grids.
func fuzzMedia(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-media-\(getpid())").path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { return 0 }
    defer { unlink(path) }
    _ = try? MediaProbe.probe(path: path)
    guard let decoder = try? VideoDecoder(path: path) else { return 0 }
    var frames = 0
    while frames < 30, let frame = try? decoder.nextFrame() {
        _ = try? frame.lumaGrid(cellSize: 8)
        frames += 1
    }
    return 0
}

// MARK: - libFuzzer driver (main is ours; libFuzzer comes from libclang_rt.fuzzer_no_main)

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var fuzzArgc = CommandLine.argc
var fuzzArgv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&fuzzArgc, &fuzzArgv) { data, count in
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzMedia($0.baseAddress!, 0) } }
    return fuzzMedia(UnsafeRawPointer(data), count)
})
