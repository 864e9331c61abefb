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

    /// The cached clip of `recording` from `from` to `to` seconds into it, cut now when missing.
    /// - Returns: the clip's path and its real start (seconds since 1970).
    func clip(of recording: Recording, from: Double, to: Double) throws(MediaIOError) -> (path: String, start: Double) {
        let base = recording.start.timeIntervalSince1970
        let key = sha256Hex("\(recording.fingerprint)|\(Int64(millisecondsOf: from))|\(Int64(millisecondsOf: to))")
        let path = (directory as NSString).appendingPathComponent("\(Self.prefix)\(recording.id)-\(key.prefix(16)).mp4")
        let startFile = path + ".start"
        if FileManager.default.fileExists(atPath: path),
           let text = try? String(contentsOfFile: startFile, encoding: .utf8), let start = Double(text) {
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
        return (path, result.startSeconds)
    }

    /// Removes cached clips (and only those) older than `maximumAge`.
    func sweep() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = Date().addingTimeInterval(-maximumAge)
        for name in names where name.hasPrefix(Self.prefix) && (name.hasSuffix(".mp4") || name.hasSuffix(".start")) {
            let path = (directory as NSString).appendingPathComponent(name)
            if let modified = try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date, modified < cutoff {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}
