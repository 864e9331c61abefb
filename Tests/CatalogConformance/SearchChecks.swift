import Catalog
import Foundation
import Testing

/// `SearchStore`: event queries, search pages and cursors, status figures.
enum SearchChecks {
    /// Three cameras with 10 events each, one a minute, scores and areas rising.
    static func fill(_ store: any CatalogStore) async throws {
        try await store.saveCameras(Fixture.cameras)
        for (index, camera) in Fixture.cameras.enumerated() {
            let start = Fixture.base.addingTimeInterval(Double(index))
            let recording = NewRecording(fingerprint: camera.id, path: "/f/\(camera.id).mp4", camera: camera.id, start: start,
                                         startSource: .container, durationSeconds: 600, codec: "h264", width: 1920, height: 1080,
                                         frameRate: 25, frameCount: 15000, sizeBytes: 1)
            var events: [NewMotionEvent] = []
            for minute in 0..<10 {
                let offset = Double(minute * 60)
                let length = Double(5 + minute)
                events.append(NewMotionEvent(
                    start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + length),
                    offsetSeconds: offset, clipStart: start, clipEnd: start, peakTime: start,
                    peakScore: Double(minute) / 10, meanScore: 0, area: Double(minute) / 100,
                    boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: nil))
            }
            _ = try await store.commitIndexed(recording, events: events)
        }
    }

    /// "CAM01/3": camera and minute of each hit.
    static func ids(_ store: any CatalogStore, _ configure: (inout SearchQuery) -> Void) async throws -> [String] {
        var query = SearchQuery()
        configure(&query)
        return try await store.search(query).hits.map { "\($0.camera.id)/\(Int($0.event.offsetSeconds / 60))" }
    }

    static func cameras(_ store: any CatalogStore, _ configure: (inout SearchQuery) -> Void) async throws -> Set<String> {
        Set(try await ids(store, configure).map { String($0.prefix(5)) })
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("search: time queries return events that overlap the range, by camera, in time order") { store in
            let base = Fixture.base
            _ = try await store.commitIndexed(Fixture.recording("a", camera: "CAM01", duration: 300),
                                              events: [Fixture.event(0, 100), Fixture.event(200, 210)])
            let b = try await store.commitIndexed(Fixture.recording("b", camera: "CAM02"), events: [Fixture.event(50, 60)])
            func starts(_ query: EventQuery) async throws -> [Double] {
                try await store.events(matching: query).map { Fixture.offset($0.start) }
            }
            // A long event that started before `from` still overlaps it.
            #expect(try await starts(EventQuery(from: base.addingTimeInterval(90), to: base.addingTimeInterval(205))) == [0, 200])
            #expect(try await starts(EventQuery(from: base.addingTimeInterval(100), to: base.addingTimeInterval(150))).isEmpty)
            #expect(try await starts(EventQuery(camera: "CAM02")) == [50])
            #expect(try await starts(EventQuery(cameras: ["CAM01", "CAM02"], to: base.addingTimeInterval(60))) == [0, 50])
            #expect(try await starts(EventQuery(camera: "CAM01", to: base.addingTimeInterval(200))) == [0])
            #expect(try await starts(EventQuery(recordingID: b.recording.id)) == [50])
            #expect(try await starts(EventQuery(limit: 2)) == [0, 50])
            #expect(try await store.event(id: b.events[0].id) == b.events[0])
            #expect(try await store.event(id: 999_999) == nil)
        },
        ConformanceCheck("search: streets and wards match without diacritics or case, by word prefix") { store in
            try await fill(store)
            for (street, expected) in [("nguyen trai", ["CAM01", "CAM02"]), ("Nguyễn Trãi", ["CAM01", "CAM02"]),
                                       ("NGUYEN TR", ["CAM01", "CAM02"]), ("le loi", ["CAM02"]), ("dinh le", ["CAM03"]),
                                       ("trai nguyen", ["CAM01", "CAM02"]), ("nguyen van", [])] {
                #expect(try await cameras(store) { $0.street = street } == Set(expected), "\(street)")
            }
            #expect(try await cameras(store) { $0.ward = "ben thanh" } == ["CAM01", "CAM02"])
        },
        ConformanceCheck("search: radius, box, time range and thresholds narrow the results") { store in
            try await fill(store)
            let base = Fixture.base
            let point = GeoPoint(latitude: 10.7725, longitude: 106.6980)
            #expect(try await cameras(store) { $0.near = point; $0.radiusMetres = 100 } == ["CAM01"])
            #expect(try await cameras(store) { $0.near = point; $0.radiusMetres = 500 } == ["CAM01", "CAM02"])
            #expect(try await cameras(store) {
                $0.box = (GeoPoint(latitude: 10.78, longitude: 106.70), GeoPoint(latitude: 10.80, longitude: 106.72))
            } == ["CAM03"])
            #expect(try await ids(store) {
                $0.cameras = ["CAM01"]; $0.from = base.addingTimeInterval(125); $0.to = base.addingTimeInterval(240)
            } == ["CAM01/2", "CAM01/3"])
            #expect(try await ids(store) { $0.cameras = ["CAM01"]; $0.minimumScore = 0.8 } == ["CAM01/8", "CAM01/9"])
            #expect(try await ids(store) { $0.cameras = ["CAM01"]; $0.minimumDurationSeconds = 13 } == ["CAM01/8", "CAM01/9"])
            #expect(try await ids(store) { $0.cameras = ["CAM01"]; $0.minimumArea = 0.09 } == ["CAM01/9"])
        },
        ConformanceCheck("search: a ward scope hides every other ward, whatever else is asked") { store in
            try await fill(store)
            #expect(try await cameras(store) { $0.wardScope = ["Phường Tràng Tiền"] } == ["CAM03"])
            #expect(try await ids(store) { $0.wardScope = ["Phường Tràng Tiền"]; $0.cameras = ["CAM01"] }.isEmpty)
            #expect(try await ids(store) { $0.wardScope = ["Phường Tràng Tiền"]; $0.street = "nguyen trai" }.isEmpty)
        },
        ConformanceCheck("search: pages follow each other without gaps or repeats, in time and in distance order") { store in
            try await fill(store)
            for byDistance in [false, true] {
                var query = SearchQuery()
                query.limit = 7
                if byDistance {
                    query.near = GeoPoint(latitude: 10.7900, longitude: 106.7100)
                    query.order = .distance
                }
                var seen: [String] = []
                var pages = 0
                repeat {
                    let page = try await store.search(query)
                    seen += page.hits.map { "\($0.camera.id)/\($0.event.id)" }
                    query.cursor = page.nextCursor
                    pages += 1
                } while query.cursor != nil && pages < 20
                #expect(pages == 5)
                #expect(seen.count == 30 && Set(seen).count == 30)
                if byDistance { #expect(seen.prefix(10).allSatisfy { $0.hasPrefix("CAM03") }) }
                var all = SearchQuery()
                all.limit = 100
                if byDistance { all.near = query.near; all.order = .distance }
                #expect(try await store.search(all).hits.map { "\($0.camera.id)/\($0.event.id)" } == seen)
            }
        },
        ConformanceCheck("search: hits carry their camera, recording path and distance") { store in
            try await fill(store)
            var query = SearchQuery()
            query.near = GeoPoint(latitude: 10.7725, longitude: 106.6980)
            query.radiusMetres = 100
            query.limit = 1
            let hit = try #require(try await store.search(query).hits.first)
            #expect(hit.camera == Fixture.cameras[0] && hit.recordingPath == "/f/CAM01.mp4")
            #expect(hit.distanceMetres.map { $0 < 1 } == true)
        },
        ConformanceCheck("search: a cursor from another kind of search is refused as an invalid query") { store in
            try await fill(store)
            var query = SearchQuery()
            query.cursor = "not-a-cursor"
            let error = await #expect(throws: CatalogError.self) { try await store.search(query) }
            #expect(error?.code == .invalidQuery)
        },
        ConformanceCheck("search: camera status counts files, footage and events per camera") { store in
            try await store.saveCameras([Camera(id: "CAM05")])
            try await store.notePending(path: "/c/a.mp4", camera: "CAM01", sizeBytes: 1, modified: Fixture.base)
            try await store.notePending(path: "/c/b.mp4", camera: "CAM01", sizeBytes: 1, modified: Fixture.base)
            _ = try await store.markIndexing(path: "/c/b.mp4")
            var sick = Fixture.recording("b", start: Fixture.base.addingTimeInterval(60))
            sick.health = ["black picture"]
            _ = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(1, 2), Fixture.event(5, 9)])
            _ = try await store.commitIndexed(sick, events: [Fixture.event(3, 4, start: sick.start)],
                                              options: CommitOptions(source: "/c/b.mp4"))
            let status = try await store.cameraStatus()
            #expect(status.map(\.camera) == ["CAM01", "CAM05"])
            let cam = status[0]
            #expect(cam.files == [.pending: 1, .indexed: 1])
            #expect(cam.footageSeconds == 120 && cam.eventCount == 3)
            #expect(cam.lastEvent == sick.start.addingTimeInterval(3))
            #expect(cam.lastRecordingEnd == Fixture.base.addingTimeInterval(120))
            #expect(cam.lastRecordingHealth == ["black picture"])
            #expect(cam.lastFileSeen != nil)
            #expect(status[1].eventCount == 0 && status[1].files.isEmpty && status[1].lastEvent == nil)
        },
    ]
}
