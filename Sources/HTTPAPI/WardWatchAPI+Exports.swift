import Access
import Catalog
import Evidence
import Foundation
import Hummingbird
import NIOCore

extension WardWatchAPI {
    /// `POST /api/v1/exports`: the same signed evidence bundle as `wardwatch export`, written as a zip
    /// into the server's export folder, for investigators and admins. The export is audited, recorded
    /// in the custody log and puts its events on legal hold; the bundle is then fetched with
    /// `GET /api/v1/exports/{name}` (audited too).
    func createExport(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role >= .investigator else {
            try await audit(context, user: user, action: "export.denied", request: request, results: nil)
            throw APIError(.forbidden, "exporting evidence needs the investigator role; this token is a \(user.role.rawValue)")
        }
        guard let exportDirectory = configuration.exportDirectory, let keyPath = configuration.signingKeyPath else {
            throw APIError(.unavailable, "this server has no signing key or export folder configured (see wardwatch serve --help)")
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        let asked = try ExportBody.decode(Data(buffer: body))
        let selection = try asked.selection(zone: configuration.timeZone)

        // A ward-scoped investigator exports only their ward's footage.
        let catalog = self.catalog
        var cameraIDs: [String] = []
        switch selection {
        case let .events(ids): for id in ids { cameraIDs.append(try await catalog.event(id: id)?.camera ?? "") }
        case let .cameraPeriod(camera, _, _): cameraIDs = [camera]
        }
        if cameraIDs.contains("") { throw APIError.badParameter("events", "names an event that does not exist") }
        if user.ward != nil {
            let cameras = try await catalog.cameras()
            for id in Set(cameraIDs) where !Self.inScope(cameras.first { $0.id == id } ?? Camera(id: id), of: user) {
                try await audit(context, user: user, action: "export.denied", request: request, results: nil)
                throw APIError(.forbidden, "camera \(id) is outside this token's ward")
            }
        }

        let name = Self.bundleName(caseID: asked.case_id ?? "", at: Date())
        let output = (exportDirectory as NSString).appendingPathComponent(name)
        let exportRequest = ExportRequest(
            selection: selection, caseID: asked.case_id ?? "", reason: asked.reason ?? "", actor: user.name, outputPath: output,
            preRollSeconds: asked.pre_roll_s ?? 5, postRollSeconds: asked.post_roll_s ?? 5, timeZone: configuration.timeZone,
            wardwatchVersion: configuration.version)
        let stills = configuration.stillsDirectory
        let result: ExportResult
        do {
            try FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
            let key = try EvidenceSigningKey.load(from: keyPath)
            result = try await EvidenceExporter(store: catalog, stillsDirectory: stills, signingKey: key).export(exportRequest)
        } catch let error as EvidenceError {
            switch error.code {
            case .notFound: throw APIError.badParameter(selection.isEvents ? "events" : "camera", error.message)
            case .source:
                context.logger.error("export refused: a source file changed", metadata: ["error": "\(error)"])
                throw APIError(.conflict, error.message)
            default:
                context.logger.error("export failed", metadata: ["error": "\(error)"])
                throw APIError(.internal, "the export failed; the cause is in the server log")
            }
        }
        let summary = "case=\(exportRequest.caseID) reason=\(exportRequest.reason) \(asked.describe) bundle=\(name) manifest=\(result.manifestSHA256)"
        try await auditor.record(NewAuditEntry(actor: user.name, action: "export", query: summary,
                                               resultCount: result.heldEventIDs.count, client: context.clientAddress))
        let reply = ExportReply(
            name: name, case_id: exportRequest.caseID, manifest_sha256: result.manifestSHA256,
            signer_fingerprint: result.signer.fingerprint, files: result.files.count, held_events: result.heldEventIDs,
            download_url: "/api/v1/exports/\(name)")
        var response = JSONBody.response(reply)
        response.status = .created
        response.headers[.location] = reply.download_url
        return response
    }

    /// `GET /api/v1/exports/{name}`: a bundle made by `POST /api/v1/exports`.
    func downloadExport(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role >= .investigator else {
            try await audit(context, user: user, action: "export.download.denied", request: request, results: nil)
            throw APIError(.forbidden, "evidence bundles need the investigator role")
        }
        guard let exportDirectory = configuration.exportDirectory else { throw APIError(.notFound, "this server keeps no exports") }
        let name = context.parameters.get("name") ?? ""
        guard name.hasSuffix(".zip"), !name.contains("/"), !name.hasPrefix(".") else {
            throw APIError.badParameter("name", "'\(name)' is not a bundle name")
        }
        let path = (exportDirectory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { throw APIError(.notFound, "no bundle \(name)") }
        if user.ward != nil {
            // A ward-scoped investigator downloads only bundles whose every event is in their ward.
            let catalog = self.catalog
            let cameras = try await catalog.cameras()
            let records = try await catalog.custodyRecords(caseID: nil).filter { ($0.bundlePath as NSString).lastPathComponent == name }
            var events: [MotionEvent] = []
            for id in records.flatMap(\.eventIDs) { if let event = try await catalog.event(id: id) { events.append(event) } }
            let inScope = !records.isEmpty && events.allSatisfy { event in
                Self.inScope(cameras.first { $0.id == event.camera } ?? Camera(id: event.camera), of: user)
            }
            guard inScope else {
                try await audit(context, user: user, action: "export.download.denied", request: request, results: nil)
                throw APIError(.forbidden, "bundle \(name) holds footage outside this token's ward")
            }
        }
        try await audit(context, user: user, action: "export.download", request: request, results: 1)
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = #"attachment; filename="\#(name)""#
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
    }

    /// "CA-2024_117-20240710T083000123Z.zip": the case, made safe for a file name, and the time.
    static func bundleName(caseID: String, at time: Date) -> String {
        let safe = EvidenceExporter.fileSafe(caseID)
        let stamp = Timestamp.format(time).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: ".", with: "")
        return "\(safe.prefix(60))-\(stamp).zip"
    }
}

/// The JSON body of `POST /api/v1/exports`.
struct ExportBody: Decodable {
    var events: [Int64]?
    var camera: String?
    var from: String?
    var to: String?
    var case_id: String?
    var reason: String?
    var pre_roll_s: Double?
    var post_roll_s: Double?

    static func decode(_ data: Data) throws -> ExportBody {
        do {
            return try JSONDecoder().decode(ExportBody.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.first?.stringValue ?? "body"
            throw APIError.badParameter(field, "has the wrong type")
        } catch {
            throw APIError.badParameter("body", "is not a JSON object with events or camera/from/to, case_id and reason")
        }
    }

    func selection(zone: TimeZone) throws -> ExportRequest.Selection {
        for (name, value) in [("case_id", case_id), ("reason", reason)]
        where (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.badParameter(name, "is required")
        }
        // Bounded so that one request cannot ask for days of stream copy.
        for (name, value) in [("pre_roll_s", pre_roll_s), ("post_roll_s", post_roll_s)] {
            if let value, !(0...300).contains(value) { throw APIError.badParameter(name, "must be from 0 to 300 seconds") }
        }
        if let events {
            guard camera == nil, from == nil, to == nil else {
                throw APIError.badParameter("events", "goes alone; give either events or camera, from and to")
            }
            guard !events.isEmpty, events.count <= 100 else { throw APIError.badParameter("events", "must list 1 to 100 event ids") }
            return .events(events)
        }
        guard let camera, !camera.isEmpty else { throw APIError.badParameter("camera", "is required without events") }
        func time(_ name: String, _ text: String?) throws -> Date {
            guard let text else { throw APIError.badParameter(name, "is required with camera") }
            guard let date = Timestamp.parse(text, defaultZone: zone) else {
                throw APIError.badParameter(name, "'\(text)' is not an ISO 8601 time")
            }
            return date
        }
        let start = try time("from", from), end = try time("to", to)
        guard end > start else { throw APIError.badParameter("to", "must be after from") }
        guard end.timeIntervalSince(start) <= 6 * 3600 else { throw APIError.badParameter("to", "one export covers at most 6 hours") }
        return .cameraPeriod(camera: camera, from: start, to: end)
    }

    var describe: String {
        if let events { return "events=" + events.map(String.init).joined(separator: ",") }
        return "camera=\(camera ?? "") from=\(from ?? "") to=\(to ?? "")"
    }
}

struct ExportReply: Encodable {
    var name: String
    var case_id: String
    var manifest_sha256: String
    var signer_fingerprint: String
    var files: Int
    var held_events: [Int64]
    var download_url: String
}

extension ExportRequest.Selection {
    var isEvents: Bool { if case .events = self { true } else { false } }
}
