import Catalog
import CatalogSQLite
import Foundation
import Testing
import TestSupport

/// The API says which camera stream an event plays from: "sub" while only the sub-stream has a
/// recording for it, "main" once a main-stream file is attached.
@Suite("HTTP API: source_stream of events")
struct StreamSourceEndpointTests {
    @Test("an event found on the sub-stream reads source_stream sub, then main once attached; other events read main")
    func sourceStream() async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        let start = Fixture.base.addingTimeInterval(3600)
        var sub = NewRecording(fingerprint: "sub-1", path: "/footage/sub/CAM01.mp4", camera: "CAM01", start: start,
                               startSource: .container, durationSeconds: 60, codec: "h264", width: 640, height: 360,
                               frameRate: 25, frameCount: 1500, sizeBytes: 1)
        sub.stream = .sub
        let event = NewMotionEvent(
            start: start.addingTimeInterval(10), end: start.addingTimeInterval(14), offsetSeconds: 10,
            clipStart: start.addingTimeInterval(8), clipEnd: start.addingTimeInterval(16), peakTime: start.addingTimeInterval(11),
            peakScore: 1, meanScore: 0.5, area: 0.01, boundingBox: NormalizedBox(x: 0.1, y: 0.1, width: 0.2, height: 0.2),
            still: nil)
        let committed = try await catalog.commitIndexed(sub, events: [event])
        let id = try #require(committed.events.first?.id)
        let subID = committed.recording.id
        try await TestServer.run(catalog: catalog, folder: folder) { server in
            try await check(server, tokens: tokens, catalog: catalog, id: id, start: start, subID: subID)
        }
    }

    func check(_ server: TestServer, tokens: Fixture.Tokens, catalog: SQLiteCatalog, id: Int64, start: Date, subID: Int64)
        async throws {

        func streams() async throws -> [Int64: String] {
            let reply = try await server.get("/api/v1/events?camera=CAM01&limit=100", token: tokens.viewer)
            #expect(reply.status == 200)
            var result: [Int64: String] = [:]
            for item in reply.events {
                if let eventID = item["id"] as? Int, let stream = item["source_stream"] as? String { result[Int64(eventID)] = stream }
            }
            return result
        }
        var seen = try await streams()
        #expect(seen[id] == "sub", "\(seen)")
        #expect(seen.count == 11 && seen.filter { $0.key != id }.values.allSatisfy { $0 == "main" })

        var main = NewRecording(fingerprint: "main-1", path: "/footage/main/CAM01.mp4", camera: "CAM01", start: start,
                                startSource: .container, durationSeconds: 60, codec: "h264", width: 1920, height: 1080,
                                frameRate: 25, frameCount: 1500, sizeBytes: 1)
        main.stream = .main
        let mainRecording = try await catalog.commitIndexed(main, events: []).recording
        try await catalog.attachEvent(id: id, toRecording: mainRecording.id, offsetSeconds: 10, still: nil)
        seen = try await streams()
        #expect(seen[id] == "main", "\(seen)")
        let attached = try #require(try await catalog.event(id: id))
        #expect(attached.recordingID == mainRecording.id && attached.detectedRecordingID == subID)
    }
}
