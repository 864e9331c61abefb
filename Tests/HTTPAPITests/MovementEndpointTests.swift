import Catalog
import CatalogSQLite
import Foundation
import HTTPAPI
import Logging
import Testing
import TestSupport

/// `region=` and `direction=` on `GET /api/v1/events`: answered from the stored footprints and paths.
@Suite("HTTP API: search by region and direction")
struct MovementEndpointTests {
    /// CAM01 looks east (90°). A gate at the left of its picture; a lane along the bottom, crossed both ways.
    func withServer(_ body: @Sendable (TestServer, String) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        let start = Fixture.base.addingTimeInterval(3600)
        let recording = NewRecording(fingerprint: "movement", path: "/footage/movement.mp4", camera: "CAM01", start: start,
                                     startSource: .container, durationSeconds: 300, codec: "h264", width: 1920, height: 1080,
                                     frameRate: 25, frameCount: 7500, sizeBytes: 1)
        func event(_ at: Double, _ region: NormalizedBox, _ path: [(Double, Double)]) -> NewMotionEvent {
            var event = NewMotionEvent(
                start: start.addingTimeInterval(at), end: start.addingTimeInterval(at + 5), offsetSeconds: at,
                clipStart: start.addingTimeInterval(at), clipEnd: start.addingTimeInterval(at + 5),
                peakTime: start.addingTimeInterval(at + 1), peakScore: 1, meanScore: 0.5, area: 0.01,
                boundingBox: region, still: nil)
            event.footprint = EventFootprint(region: region)
            event.path = path.enumerated().map { TravelPoint(seconds: Double($0.offset), x: $0.element.0, y: $0.element.1) }
            return event
        }
        let gate = NormalizedBox(x: 0.1, y: 0.3, width: 0.1, height: 0.4)
        let lane = NormalizedBox(x: 0, y: 0.8, width: 1, height: 0.15)
        _ = try await catalog.commitIndexed(recording, events: [
            event(10, gate, [(0.15, 0.35), (0.15, 0.65)]),
            event(40, lane, [(0.05, 0.85), (0.95, 0.88)]),
            event(70, lane, [(0.9, 0.9), (0.1, 0.87)]),
        ])
        var settings = TestServer.workflows(catalog: catalog, folder: folder).settings
        settings.cameraViews = ["CAM01": "E"]
        let api = WardWatchAPI(workflows: .init(store: catalog, settings: settings), configuration: APIConfiguration(port: 0))
        var logger = Logger(label: "test.http")
        logger.logLevel = .critical
        defer { folder.remove() }
        try await api.application(logger: logger).test(.router) { client in
            try await body(TestServer(folder: folder, catalog: catalog, client: client), tokens.viewer)
        }
    }

    func offsets(_ server: TestServer, _ query: String, token: String) async throws -> [String] {
        let reply = try await server.get("/api/v1/events?camera=CAM01&from=2024-07-10T16:30&\(query)", token: token)
        #expect(reply.status == 200, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
        return reply.events.map { "\($0["start_local"] as? String ?? "?")/\($0["direction"] as? String ?? "-")" }
    }

    @Test("a region returns only the events that passed through it; a region nobody crossed returns none")
    func region() async throws {
        try await withServer { server, token in
            let gate = try await offsets(server, "region=0.12,0.4,0.05,0.1", token: token)
            #expect(gate == ["2024-07-10T16:30:10.000+07:00/top-to-bottom"])
            let lane = try await offsets(server, "region=\(encoded("0.4,0.85,0.2,0.05"))", token: token)
            #expect(lane == ["2024-07-10T16:30:40.000+07:00/left-to-right", "2024-07-10T16:31:10.000+07:00/right-to-left"])
            let nobody = try await offsets(server, "region=0.6,0.1,0.3,0.3", token: token)
            #expect(nobody.isEmpty)
        }
    }

    @Test("direction separates the two ways along the lane, by picture direction or by compass heading of the camera's view")
    func direction() async throws {
        try await withServer { server, token in
            let across = try await offsets(server, "direction=left-to-right", token: token)
            #expect(across == ["2024-07-10T16:30:40.000+07:00/left-to-right"])
            let back = try await offsets(server, "direction=right-to-left&region=0,0.8,1,0.2", token: token)
            #expect(back == ["2024-07-10T16:31:10.000+07:00/right-to-left"])
            // Looking east, heading south is left to right across the picture, north is right to left.
            let south = try await offsets(server, "direction=S", token: token)
            #expect(south == ["2024-07-10T16:30:40.000+07:00/left-to-right"])
            let north = try await offsets(server, "direction=0", token: token)
            #expect(north == ["2024-07-10T16:31:10.000+07:00/right-to-left"])
            // Looking east, heading west is towards the camera: down the picture.
            let west = try await offsets(server, "direction=W", token: token)
            #expect(west == ["2024-07-10T16:30:10.000+07:00/top-to-bottom"])
        }
    }

    @Test("bad regions and directions are 400s naming the field", arguments: [
        ("camera=CAM01&region=0.5,0.5,0.6,0.2", "region"), ("camera=CAM01&region=a,b,c,d", "region"),
        ("camera=CAM01&region=0.1,0.1,0,0.2", "region"), ("region=0.1,0.1,0.2,0.2", "region"),
        ("camera=CAM01,CAM02&region=0.1,0.1,0.2,0.2", "region"), ("camera=CAM01&direction=sideways", "direction"),
        ("camera=CAM02&direction=NE", "direction"), ("direction=NE", "direction"), ("camera=CAM01&direction=400", "direction"),
    ])
    func badParameters(query: String, field: String) async throws {
        try await withServer { server, token in
            let reply = try await server.get("/api/v1/events?\(query)", token: token)
            #expect(reply.status == 400 && reply.errorField == field, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
        }
    }

    @Test("region and direction responses match the OpenAPI document")
    func openAPI() async throws {
        try await withServer { server, token in
            let validator = try OpenAPIValidator()
            for url in ["/api/v1/events?camera=CAM01&region=0,0.8,1,0.2&direction=left-to-right",
                        "/api/v1/events?camera=CAM01&region=0,0.8,1,0.2&format=geojson", "/api/v1/events?direction=up"] {
                let reply = try await server.get(url, token: token)
                let problems = try validator.problems(path: "/api/v1/events", status: reply.status,
                                                      contentType: reply.headers["content-type"] ?? "", body: reply.body)
                #expect(problems.isEmpty, "\(url) → \(reply.status): \(problems)")
            }
        }
    }
}
