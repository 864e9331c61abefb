import Evidence
import Foundation

/// `verify` on hostile bundles. The input is either a zip (starts with "PK"), written as a .zip
/// file, or a folder bundle: files separated by lines "==> NAME" (the seed corpus shows the shape).
func fuzzVerify(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-verify-\(getpid())")
    try? FileManager.default.removeItem(at: scratch)
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    if data.starts(with: [0x50, 0x4B]) {
        let zip = scratch.appendingPathComponent("bundle.zip")
        try? data.write(to: zip)
        _ = try? BundleVerifier.verify(path: zip.path)
        return 0
    }
    let folder = scratch.appendingPathComponent("bundle")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let text = String(decoding: data, as: UTF8.self)
    for part in text.components(separatedBy: "==> ").dropFirst() {
        let lines = part.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(lines[0])
        // Only plain names inside the bundle; the verifier's own path checks are fuzzed via the manifest.
        guard !name.isEmpty, !name.contains(".."), !name.hasPrefix("/"), name.count < 100 else { continue }
        let target = folder.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data((lines.count > 1 ? String(lines[1]) : "").utf8).write(to: target)
    }
    _ = try? BundleVerifier.verify(path: folder.path)
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
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzVerify($0.baseAddress!, 0) } }
    return fuzzVerify(UnsafeRawPointer(data), count)
})
