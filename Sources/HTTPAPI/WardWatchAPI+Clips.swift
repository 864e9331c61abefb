import Access
import Catalog
import Evidence
import Foundation
import HTTPTypes
import Hummingbird
import MediaIO
import NIOCore

extension WardWatchAPI {
    /// `GET /api/v1/recordings/{id}/clip?from=&to=`: a part of a recording cut by stream copy, for
    /// playback in a browser. Investigators and admins only; audited.
    ///
    /// Cut clips are cached under `clipDirectory` (never beside the recordings) for an hour, so a
    /// browser's byte-range requests while seeking do not cut the clip again.
    func clip(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try Self.pathID(context)
        let catalog = self.catalog
        guard let recording = try await catalog.recording(id: id) else { throw APIError(.notFound, "no recording \(id)") }
        let camera = try await catalog.cameras().first { $0.id == recording.camera }
        guard user.role >= .investigator else {
            try await audit(context, user: user, action: "clip.denied", request: request, results: nil)
            throw APIError(.forbidden, "playing footage needs the investigator role; this token is a \(user.role.rawValue)")
        }
        guard Self.inScope(camera ?? Camera(id: recording.camera), of: user) else {
            try await audit(context, user: user, action: "clip.denied", request: request, results: nil)
            throw APIError(.forbidden, "recording \(id) is outside this token's ward")
        }
        let (from, to) = try clipRange(request.uri.queryParameters, recording: recording)

        let base = recording.start.timeIntervalSince1970
        let key = sha256Hex("\(recording.fingerprint)|\(Int64(millisecondsOf: from))|\(Int64(millisecondsOf: to))")
        let directory = configuration.clipDirectory
        // Only names of this form are ever swept, so a clip folder set by mistake onto footage loses nothing.
        let path = (directory as NSString).appendingPathComponent("\(Self.clipPrefix)\(recording.id)-\(key.prefix(16)).mp4")
        // The clip's real start (a keyframe at or before `from`) is kept beside it for cache hits.
        let clipStart: Double
        do {
            clipStart = try await offloaded {
                let startFile = path + ".start"
                if FileManager.default.fileExists(atPath: path),
                   let text = try? String(contentsOfFile: startFile, encoding: .utf8), let start = Double(text) {
                    return start
                }
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                Self.sweepClips(in: directory, olderThan: 3600)
                // Never play another file's footage as this recording's.
                if let problem = SourceCheck.problem(recording) { throw APIError(.conflict, problem) }
                let result = try ClipCutter.cut([ClipSource(path: recording.path, startSeconds: base)],
                                                from: base + from, to: base + to, outputPath: path)
                try String(result.startSeconds).write(toFile: startFile, atomically: true, encoding: .utf8)
                return result.startSeconds
            }
        } catch let error as MediaIOError {
            switch error.code {
            case .fileNotFound:
                throw APIError(.notFound, "recording \(id) is no longer at its path on the server")
            case .outOfRange:
                throw APIError.badParameter("from", "is outside recording \(id) (0 to \(Self.seconds(recording.durationSeconds)) s)")
            default:
                context.logger.error("clip failed", metadata: ["recording.id": "\(id)", "error": "\(error)"])
                throw APIError(.internal, "the clip could not be cut; the cause is in the server log")
            }
        }
        try await audit(context, user: user, action: "clip", request: request, results: 1)

        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        var headers = HTTPFields()
        headers[.contentType] = "video/mp4"
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = "private, no-store"
        headers[.contentDisposition] = #"inline; filename="\#(EvidenceExporter.fileSafe(recording.camera))-\#(recording.id)-\#(Self.seconds(from))s.mp4""#
        headers[HTTPField.Name("X-Clip-Start")!] = Timestamp.format(Date(timeIntervalSince1970: clipStart))
        headers[HTTPField.Name("X-Clip-Lead-Seconds")!] = Self.seconds(base + from - clipStart)
        if let header = request.headers[.range], header.hasPrefix("bytes="), Self.byteRange(header, size: size) == nil,
           let start = Int(header.dropFirst(6).split(separator: "-").first ?? ""), start >= size {
            var unsatisfiable = HTTPFields()
            unsatisfiable[.contentRange] = "bytes */\(size)"
            return Response(status: .rangeNotSatisfiable, headers: unsatisfiable)
        }
        if let range = request.headers[.range].flatMap({ Self.byteRange($0, size: size) }) {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await FileIO().loadFile(path: path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
    }

    /// The clip's range in seconds into the recording. `from` and `to` are seconds (as the search's
    /// `clip_url` gives them) or ISO 8601 times; `to` is clamped to the recording's end.
    func clipRange(_ query: Parameters, recording: Recording) throws -> (Double, Double) {
        func seconds(_ name: String) throws -> Double {
            guard let text = query.get(name), !text.isEmpty else { throw APIError.badParameter(name, "is required (seconds into the recording, or an ISO 8601 time)") }
            if let value = Double(text), value.isFinite { return value }
            guard let time = Timestamp.parse(text, defaultZone: configuration.timeZone) else {
                throw APIError.badParameter(name, "'\(text)' is neither seconds into the recording nor an ISO 8601 time")
            }
            return time.timeIntervalSince(recording.start)
        }
        for (key, _) in query where key != "from" && key != "to" {
            throw APIError.badParameter(String(key), "is not a clip parameter (from, to)")
        }
        let from = try seconds("from")
        let to = min(try seconds("to"), recording.durationSeconds)
        guard from >= 0, from < recording.durationSeconds else {
            throw APIError.badParameter("from", "must be within recording \(recording.id) (0 to \(Self.seconds(recording.durationSeconds)) s)")
        }
        guard to > from else { throw APIError.badParameter("to", "must be after from") }
        guard to - from <= configuration.maximumClipSeconds else {
            throw APIError.badParameter("to", "asks for \(Int(saturating: to - from)) s; one clip is at most \(Int(saturating: configuration.maximumClipSeconds)) s")
        }
        return (from, to)
    }

    /// A single `bytes=` range within `size` bytes; nil for anything else (then the whole file is sent,
    /// as RFC 9110 allows).
    static func byteRange(_ header: String, size: Int) -> ClosedRange<Int>? {
        guard size > 0, header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let parts = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int(parts[0]), start < size else { return nil }
        let end = parts[1].isEmpty ? size - 1 : min(Int(parts[1]) ?? -1, size - 1)
        return end >= start ? start...end : nil
    }

    /// The start of every cached clip's name.
    static let clipPrefix = "wwclip-"

    /// Removes cached clips (and only those) older than `age` seconds.
    static func sweepClips(in directory: String, olderThan age: TimeInterval) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = Date().addingTimeInterval(-age)
        for name in names where name.hasPrefix(clipPrefix) && (name.hasSuffix(".mp4") || name.hasSuffix(".start")) {
            let path = (directory as NSString).appendingPathComponent(name)
            if let modified = try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date, modified < cutoff {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}
