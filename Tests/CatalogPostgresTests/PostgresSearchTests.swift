import Catalog
import CatalogPostgres
import CatalogSQLite
import Foundation
import Testing

/// The same catalog in SQLite and in PostgreSQL answers every search shape with the same pages and cursors.
@Suite("PostgreSQL search gives SQLite's pages",
       .enabled(if: TestDatabase.available, "set WARDWATCH_TEST_POSTGRES (Scripts/postgres-cluster.sh start)"))
struct PostgresSearchTests {
    static let base = Date(timeIntervalSince1970: 1_720_600_200)

    /// 12 cameras in 3 wards around a point, 25 events each, with varied lengths and scores.
    static let cameras: [Camera] = (0..<12).map { index in
        let streets = ["số 12 Nguyễn Trãi", "ngã tư Lê Lợi", "số 5 Đinh Lễ", "Hàng Bông"]
        return Camera(id: String(format: "CAM%02d", index), name: "Cam \(index) \(streets[index % 4])",
                      ward: ["Phường Bến Thành", "Phường Tràng Tiền", "Phường Hàng Trống"][index % 3],
                      street: streets[index % 4], latitude: 10.7725 + Double(index) * 0.0011,
                      longitude: 106.6980 + Double(index % 5) * 0.0013)
    }

    static func fill(commit: (NewRecording, [NewMotionEvent]) async throws -> Void) async throws {
        var random: UInt64 = 11
        func next() -> UInt64 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random >> 33
        }
        for hour in 0..<3 {
            for camera in cameras {
                let start = base.addingTimeInterval(Double(hour * 3600))
                let recording = NewRecording(
                    fingerprint: "\(camera.id)-\(hour)", path: "/f/\(camera.id)/\(hour).mp4", camera: camera.id, start: start,
                    startSource: .container, durationSeconds: 3600, codec: "h264", width: 1280, height: 720, frameRate: 25,
                    frameCount: 90000, sizeBytes: 1)
                var events: [NewMotionEvent] = []
                var offset = Double(next() % 60)
                for _ in 0..<8 {
                    let length = Double(2 + next() % 300)
                    let score = Double(next() % 1000) / 1000
                    var event = NewMotionEvent(
                        start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + length),
                        offsetSeconds: offset, clipStart: start.addingTimeInterval(offset - 2),
                        clipEnd: start.addingTimeInterval(offset + length + 2), peakTime: start.addingTimeInterval(offset + 1),
                        peakScore: score, meanScore: score / 2, area: Double(next() % 100) / 1000,
                        boundingBox: NormalizedBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4), still: nil)
                    // Most events moved through a random part of the picture along a random line; some are from
                    // before footprints were kept (none), some went nowhere far enough to have a direction.
                    if next() % 6 != 0 {
                        let x = Double(next() % 80) / 100, y = Double(next() % 80) / 100
                        event.footprint = EventFootprint(region: NormalizedBox(x: x, y: y, width: Double(1 + next() % 20) / 100,
                                                                               height: Double(1 + next() % 20) / 100))
                        let dx = Double(next() % 61) / 100 - 0.3, dy = Double(next() % 61) / 100 - 0.3
                        event.path = [TravelPoint(seconds: 0, x: 0.5, y: 0.5),
                                      TravelPoint(seconds: length / 2, x: 0.5 + dx / 3, y: 0.5 + dy / 2),
                                      TravelPoint(seconds: length, x: 0.5 + dx, y: 0.5 + dy)]
                    }
                    events.append(event)
                    offset += Double(60 + next() % 400)
                }
                try await commit(recording, events)
            }
        }
    }

    static var queries: [(String, (inout SearchQuery) -> Void)] { [
        ("everything", { _ in }),
        ("street", { $0.street = "nguyen trai" }),
        ("ward + time", { $0.ward = "ben thanh"; $0.from = base.addingTimeInterval(1800); $0.to = base.addingTimeInterval(7200) }),
        ("radius 500 m", { $0.near = GeoPoint(latitude: 10.7750, longitude: 106.6990); $0.radiusMetres = 500 }),
        ("distance order", { $0.near = GeoPoint(latitude: 10.7750, longitude: 106.6990); $0.radiusMetres = 900; $0.order = .distance }),
        ("minimums", { $0.minimumScore = 0.5; $0.minimumDurationSeconds = 60; $0.minimumArea = 0.02 }),
        ("two cameras", { $0.cameras = ["CAM03", "CAM07"]; $0.from = base.addingTimeInterval(600) }),
        ("ward scope", { $0.wardScope = ["Phường Tràng Tiền"]; $0.to = base.addingTimeInterval(5000) }),
        ("box", { $0.box = (GeoPoint(latitude: 10.772, longitude: 106.697), GeoPoint(latitude: 10.778, longitude: 106.701)) }),
        ("nothing", { $0.street = "khong co" }),
        ("region, one camera", { $0.cameras = ["CAM04"]; $0.region = NormalizedBox(x: 0.3, y: 0.3, width: 0.25, height: 0.2) }),
        ("region, every camera", { $0.region = NormalizedBox(x: 0.7, y: 0.05, width: 0.1, height: 0.6) }),
        ("region + time + score", {
            $0.region = NormalizedBox(x: 0, y: 0.5, width: 0.5, height: 0.5); $0.from = base.addingTimeInterval(3000)
            $0.to = base.addingTimeInterval(9000); $0.minimumScore = 0.3
        }),
        ("left to right", { $0.direction = .leftToRight }),
        ("right to left, street", { $0.direction = .rightToLeft; $0.street = "le loi" }),
        ("top to bottom, ward", { $0.direction = .topToBottom; $0.ward = "hang trong" }),
        ("bottom to top, region, distance", {
            $0.direction = .bottomToTop; $0.region = NormalizedBox(x: 0.2, y: 0.2, width: 0.6, height: 0.6)
            $0.near = GeoPoint(latitude: 10.7750, longitude: 106.6990); $0.radiusMetres = 900; $0.order = .distance
        }),
    ] }

    @Test("every query shape, followed page by page", arguments: [7, 40])
    func samePages(pageSize: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-pg-search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLiteCatalog(path: folder.appendingPathComponent("c.sqlite").path)
        try await sqlite.saveCameras(Self.cameras)
        try await Self.fill { recording, events in
            _ = try await sqlite.commitIndexed(recording, events: events)
        }
        try await TestDatabase.with { settings in
            let postgres = try await PostgresCatalog.open(settings)
            try await postgres.saveCameras(Self.cameras)
            try await Self.fill { recording, events in
                _ = try await postgres.commitIndexed(recording, events: events, options: CommitOptions())
            }
            #expect(try await postgres.cameras() == (try await sqlite.cameras()))
            for (name, configure) in Self.queries {
                var query = SearchQuery()
                configure(&query)
                query.limit = pageSize
                var pages = 0
                var found = 0
                while true {
                    let expected = try await sqlite.search(query)
                    found += expected.hits.count
                    let actual = try await postgres.search(query)
                    #expect(actual == expected, "\(name), page \(pages + 1)")
                    pages += 1
                    guard let next = expected.nextCursor, actual.nextCursor == next, pages < 100 else { break }
                    query.cursor = next
                }
                #expect(pages >= 1)
                // The region and direction shapes find some events and not all (so the comparison means something).
                if query.region != nil || query.direction != nil { #expect((1..<288).contains(found), "\(name): \(found) events") }
            }
            var bad = SearchQuery()
            bad.cursor = "bm90IGEgY3Vyc29y"
            await #expect(throws: CatalogError.self) { _ = try await postgres.search(bad) }
            let range = EventQuery(camera: "CAM02", from: Self.base.addingTimeInterval(100), to: Self.base.addingTimeInterval(4000))
            #expect(try await postgres.events(matching: range) == (try await sqlite.events(matching: range)))
            #expect(try await postgres.cameraStatus() == (try await sqlite.cameraStatus()))
            await postgres.close()
        }
    }
}
