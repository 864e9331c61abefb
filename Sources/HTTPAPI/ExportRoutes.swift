import Catalog
import Evidence
import Foundation
import Hummingbird
import NIOCore
import Workflows

/// `POST /api/v1/exports`: the same signed evidence bundle as `wardwatch export` (one workflow makes
/// both), written as a zip into the server's export folder; `GET /api/v1/exports/{name}` fetches it.
/// Investigators and admins, for footage of their ward; audited, with a custody record and a legal hold.
struct ExportRoutes {
    let workflows: WardWorkflows

    var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.requiring(.exportEvidence, workflows).post { request, context in try await create(request, context) }
        routes.requiring(.downloadBundle, workflows).get(":name") { _, context in try await download(context) }
        return routes
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let asked = try ExportBody.decode(Data(buffer: body))
        let order = ExportOrder(
            selection: try asked.selection(zone: workflows.settings.timeZone), caseID: asked.case_id ?? "",
            reason: asked.reason ?? "", preRollSeconds: asked.pre_roll_s ?? 5, postRollSeconds: asked.post_roll_s ?? 5,
            destination: .exportFolder)
        let outcome = try await workflows.export(order, by: try context.requireRequester())
        let result = outcome.result
        let reply = ExportReply(
            name: outcome.bundleName, case_id: order.caseID, manifest_sha256: result.manifestSHA256,
            signer_fingerprint: result.signer.fingerprint, files: result.files.count, held_events: result.heldEventIDs,
            download_url: "/api/v1/exports/\(outcome.bundleName)")
        var response = JSONBody.response(reply)
        response.status = .created
        response.headers[.location] = reply.download_url
        return response
    }

    func download(_ context: APIRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let path = try await workflows.bundle(named: name, for: try context.requireRequester())
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = #"attachment; filename="\#(name)""#
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
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
