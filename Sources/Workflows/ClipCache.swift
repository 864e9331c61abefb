import Access
import Catalog
import Foundation
import MediaIO

/// Clips cut by stream copy for playback, cached in their own folder so that a browser's byte-range
/// requests while seeking do not cut the same clip again.
///
/// Only files named `wwclip-…` are ever swept, so a clip folder set by mistake onto footage loses
/// nothing. Each clip's real start (the keyframe at or before the asked start) is kept beside it.
struct ClipCache: Sendable {
    /// The start of every cached clip's name.
    static let prefix = "wwclip-"

    let directory: String
    let maximumAge: TimeInterval
    /// The most bytes of clips kept; beyond it the least recently used go first.
    var maximumBytes: Int64 = .max

    /// The cached clip of `recording` from `from` to `to` seconds into it, cut now when missing.
    /// - Returns: the clip's path and its real start (seconds since 1970).
    func clip(of recording: Recording, from: Double, to: Double) throws(MediaIOError) -> (path: String, start: Double) {
        let base = recording.start.timeIntervalSince1970
        let key = sha256Hex("\(recording.fingerprint)|\(Int64(millisecondsOf: from))|\(Int64(millisecondsOf: to))")
        let path = (directory as NSString).appendingPathComponent("\(Self.prefix)\(recording.id)-\(key.prefix(16)).mp4")
        let startFile = path + ".start"
        if FileManager.default.fileExists(atPath: path),
           let text = try? String(contentsOfFile: startFile, encoding: .utf8), let start = Double(text) {
            // Marks it used, so the size cap removes clips nobody watches first.
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: startFile)
            return (path, start)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MediaIOError(.writeFailed, path: directory, reason: "cannot create the clip folder: \(error)")
        }
        sweep()
        let result = try ClipCutter.cut([ClipSource(path: recording.path, startSeconds: base)],
                                        from: base + from, to: base + to, outputPath: path)
        try? String(result.startSeconds).write(toFile: startFile, atomically: true, encoding: .utf8)
        sweep(keeping: path)
        return (path, result.startSeconds)
    }

    /// Removes cached clips (and only those) cut longer than `maximumAge` ago, then the least recently used
    /// ones while the rest exceed `maximumBytes`. `keeping` (the clip just cut) stays.
    func sweep(keeping: String? = nil) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = Date().addingTimeInterval(-maximumAge)
        var kept: [(path: String, used: Date, bytes: Int64)] = []
        for name in names where name.hasPrefix(Self.prefix) && name.hasSuffix(".mp4") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
            // Age counts from the cut (the clip's own time, which its ETag holds too); use from the start
            // file, touched at each reuse.
            let cut = attributes[.modificationDate] as? Date ?? .distantPast
            let used = (try? manager.attributesOfItem(atPath: path + ".start"))?[.modificationDate] as? Date ?? cut
            if cut < cutoff && path != keeping {
                remove(path)
            } else {
                kept.append((path, used, (attributes[.size] as? NSNumber)?.int64Value ?? 0))
            }
        }
        // Start files whose clip is gone.
        for name in names where name.hasPrefix(Self.prefix) && name.hasSuffix(".mp4.start") {
            let path = (directory as NSString).appendingPathComponent(name)
            if !manager.fileExists(atPath: String(path.dropLast(6))) { try? manager.removeItem(atPath: path) }
        }
        var total = kept.reduce(Int64(0)) { $0 &+ $1.bytes }
        for clip in kept.sorted(by: { $0.used < $1.used }) where total > maximumBytes && clip.path != keeping {
            remove(clip.path)
            total -= clip.bytes
        }
    }

    private func remove(_ clip: String) {
        try? FileManager.default.removeItem(atPath: clip)
        try? FileManager.default.removeItem(atPath: clip + ".start")
    }
}
