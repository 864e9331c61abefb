import Catalog
import Evidence
import Foundation
import MediaIO
import SystemIO

/// A point in a recording: seconds into it, or a wall-clock time.
public enum ClipTime: Sendable, Equatable {
    case seconds(Double)
    case time(Date)

    func seconds(into recording: Recording) -> Double {
        switch self {
        case let .seconds(value): value
        case let .time(date): date.timeIntervalSince(recording.start)
        }
    }
}

/// A clip ready to send: a file in the clip cache and what it covers.
public struct ClipFile: Sendable {
    public var path: String
    public var sizeBytes: Int
    /// A strong entity tag of this cut (for `ETag` and `If-Range`): it changes whenever the file does.
    public var entityTag: String
    public var recording: Recording
    /// Seconds into the recording, as asked (`to` clamped to its end).
    public var from: Double
    public var to: Double
    /// Where the clip really starts: the keyframe at or before `from`.
    public var start: Date
    /// Seconds of footage before the asked start.
    public var leadSeconds: Double
    /// A file name for the download ("CAM01-1-12.500s.mp4").
    public var fileName: String
}

extension WardWorkflows {
    /// A part of a recording cut by stream copy for playback (cached). Investigators and admins of
    /// the recording's ward; audited.
    /// - Throws: `WorkflowError`: `.denied`, `.notFound`, `.invalid` naming "from" or "to", `.failed`.
    public func clip(recordingID id: Int64, from: ClipTime, to: ClipTime, for requester: Requester) async throws -> ClipFile {
        try await authorize(requester, .playClip)
        let missing = WorkflowError(.notFound, "no recording \(id)")
        guard let recording = try await store.recording(id: id) else { throw missing }
        let camera = try await cameraRegistry().first { $0.id == recording.camera } ?? Camera(id: recording.camera)
        try await authorizeNamed(requester, .playClip, .camera(camera), missing: missing)

        let duration = recording.durationSeconds
        let start = from.seconds(into: recording), end = min(to.seconds(into: recording), duration)
        guard start >= 0, start < duration else {
            throw WorkflowError.invalid("from", "must be within recording \(id) (0 to \(Self.seconds(duration)) s)")
        }
        guard end > start else { throw WorkflowError.invalid("to", "must be after from") }
        guard end - start <= settings.maximumClipSeconds else {
            throw WorkflowError.invalid("to", "asks for \(Int(saturating: end - start)) s; one clip is at most \(Int(saturating: settings.maximumClipSeconds)) s")
        }
        // Never play another file's footage as this recording's.
        if let problem = SourceCheck.problem(recording) {
            await reportChangedSource(recording, problem: problem)
            throw WorkflowError(.conflict, problem)
        }
        let cache = ClipCache(directory: settings.clipDirectory, maximumAge: settings.clipCacheSeconds,
                              maximumBytes: settings.clipCacheMaxBytes)
        let cut: (path: String, start: Double)
        do {
            cut = try await heavyWork.run("wardwatch.clip") { () throws -> (path: String, start: Double) in
                try cache.clip(of: recording, from: start, to: end)
            }
        } catch let error as MediaIOError {
            switch error.code {
            case .fileNotFound: throw WorkflowError(.notFound, "recording \(id) is no longer at its path on the server")
            case .outOfRange: throw WorkflowError.invalid("from", "is outside recording \(id) (0 to \(Self.seconds(duration)) s)")
            default: throw WorkflowError(.failed, "the clip could not be cut", cause: error)
            }
        }
        try await audit.record(requester, AccessAction.playClip.rawValue, results: 1)
        let attributes = try? FileManager.default.attributesOfItem(atPath: cut.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let base = recording.start.timeIntervalSince1970
        // The cached file's name holds the recording's fingerprint and the range; size and time tell a re-cut apart.
        let tag = "\"" + ((cut.path as NSString).lastPathComponent as NSString).deletingPathExtension
            + "-\(size)-\(Int64(millisecondsOf: modified))\""
        return ClipFile(path: cut.path, sizeBytes: size, entityTag: tag, recording: recording, from: start, to: end,
                        start: Date(timeIntervalSince1970: cut.start), leadSeconds: base + start - cut.start,
                        fileName: "\(EvidenceExporter.fileSafe(recording.camera))-\(recording.id)-\(Self.seconds(start))s.mp4")
    }

    /// Seconds with three decimals ("12.500"), without `String(format:)`, which is slow on Linux and
    /// runs twice for every search result.
    public static func seconds(_ value: Double) -> String {
        let millis = Int64(millisecondsOf: value)
        let whole = String(abs(millis) / 1000), fraction = String(abs(millis) % 1000)
        return (millis < 0 ? "-" : "") + whole + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
