import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Workflows

/// `GET /api/v1/recordings/{id}/clip?from=&to=`: a part of a recording cut by stream copy (and
/// cached by the workflow), for playback in a browser, with byte ranges for seeking. Investigators
/// and admins; audited.
struct RecordingRoutes {
    let workflows: WardWorkflows

    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.requiring(.playClip, workflows).get(":id/clip") { request, context in try await clip(request, context) }
        return routes
    }

    func clip(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try pathID(context)
        let (from, to) = try clipRange(request.uri.queryParameters)
        let clip = try await workflows.clip(recordingID: id, from: from, to: to, for: try context.requireRequester())
        let size = clip.sizeBytes
        var headers = HTTPFields()
        headers[.contentType] = "video/mp4"
        headers[.acceptRanges] = "bytes"
        headers[.contentDisposition] = #"inline; filename="\#(clip.fileName)""#
        headers[.eTag] = clip.entityTag
        headers[HTTPField.Name("X-Clip-Start")!] = Timestamp.format(clip.start)
        headers[HTTPField.Name("X-Clip-Lead-Seconds")!] = WardWorkflows.seconds(clip.leadSeconds)
        // A range is served only while the clip is the one the client holds part of (If-Range, RFC 9110
        // 13.1.5): after a re-cut the whole new clip is sent.
        let rangeHeader = request.headers[.range].flatMap { header in
            request.headers[.ifRange].map { $0 == clip.entityTag } ?? true ? header : nil
        }
        if let header = rangeHeader, header.hasPrefix("bytes="), Self.byteRange(header, size: size) == nil,
           let start = Int(header.dropFirst(6).split(separator: "-").first ?? ""), start >= size {
            var error = APIError(.rangeNotSatisfiable, "the range \(header) starts past the end of the clip (\(size) bytes)")
            error.headers[.contentRange] = "bytes */\(size)"
            throw error
        }
        if let range = rangeHeader.flatMap({ Self.byteRange($0, size: size) }) {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await FileIO().loadFile(path: clip.path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: clip.path, context: context))
    }

    /// `from` and `to`: seconds into the recording (as the search's `clip_url` gives them) or ISO
    /// 8601 times; the workflow checks them against the recording.
    func clipRange(_ query: Parameters) throws -> (ClipTime, ClipTime) {
        for (key, _) in query where key != "from" && key != "to" {
            throw APIError.badParameter(String(key), "is not a clip parameter (from, to)")
        }
        func time(_ name: String) throws -> ClipTime {
            guard let text = query.get(name), !text.isEmpty else {
                throw APIError.badParameter(name, "is required (seconds into the recording, or an ISO 8601 time)")
            }
            if let value = Double(text), value.isFinite { return .seconds(value) }
            guard let time = Timestamp.parse(text, defaultZone: workflows.settings.timeZone) else {
                throw APIError.badParameter(name, "'\(text)' is neither seconds into the recording nor an ISO 8601 time")
            }
            return .time(time)
        }
        return (try time("from"), try time("to"))
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
}
