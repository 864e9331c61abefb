import Evidence
import Foundation
import FuzzSupport

/// `verify` on hostile bundles. The input is either a zip (starts with "PK"), written as a .zip
/// file, or a folder bundle: files separated by lines "==> NAME" (the seed corpus shows the shape).
func fuzzVerify(_ bytes: UnsafeRawBufferPointer) {
    let data = Data(bytes)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-verify-\(getpid())")
    try? FileManager.default.removeItem(at: scratch)
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    if data.starts(with: [0x50, 0x4B]) {
        let zip = scratch.appendingPathComponent("bundle.zip")
        try? data.write(to: zip)
        _ = try? BundleVerifier.verify(path: zip.path)
        return
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
}

FuzzDriver.run(fuzzVerify)
