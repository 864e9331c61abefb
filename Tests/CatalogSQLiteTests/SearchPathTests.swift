import Catalog
@testable import CatalogSQLite
import Foundation
import Testing

/// Every way of reading a page must give exactly what filtering all events by hand gives: the same
/// hits in the same order, pages that follow each other without gaps or repeats, and events that
/// started before the range but run into it.
@Suite("Search paths agree with a brute-force filter over all events")
struct SearchPathTests {
    static let base = Date(timeIntervalSince1970: 1_720_600_200)
    static let wards = ["Phường Bến Thành", "Phường Tràng Tiền", "Phường Cửa Nam"]
    static let streets = ["Nguyễn Trãi", "Lê Lợi", "Đinh Lễ", "Hàng Bông"]

    /// A small seeded generator (SplitMix64), so a failure can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// 14 cameras over three wards with two days of events: most short, a few up to two hours long,
    /// starts shared within and across cameras, and one camera far busier than the rest.
    static func fill(_ catalog: SQLiteCatalog, random: inout Seeded) async throws -> [Camera] {
        var cameras: [Camera] = []
        for index in 0..<14 {
            let street = streets[index % streets.count]
            cameras.append(Camera(
                id: String(format: "CAM%02d", index), name: "số \(index + 1) \(street)", ward: wards[index % wards.count],
                street: "số \(index + 1) \(street)", latitude: 10.77 + Double(index % 5) * 0.002,
                longitude: 106.69 + Double(index / 5) * 0.003))
        }
        try await catalog.saveCameras(cameras)
        let shared = (0..<20).map { _ in Double(Int.random(in: 0..<172_800_000, using: &random)) / 1000 }
        for camera in cameras {
            for day in 0..<2 {
                let start = base.addingTimeInterval(Double(day) * 86400)
                let recording = NewRecording(
                    fingerprint: "\(camera.id)-\(day)", path: "/footage/\(camera.id)/\(day).mp4", camera: camera.id, start: start,
                    startSource: .container, durationSeconds: 86400, codec: "h264", width: 1920, height: 1080, frameRate: 25,
                    frameCount: 2_160_000, sizeBytes: 1)
                let count = camera.id == "CAM03" ? 120 : Int.random(in: 0..<30, using: &random)
                var events: [NewMotionEvent] = []
                for _ in 0..<count {
                    // Starts in whole seconds, some shared with other cameras, so ties are common.
                    let offset = Bool.random(using: &random) && day == 0
                        ? shared.randomElement(using: &random)!.rounded(.down).truncatingRemainder(dividingBy: 86400)
                        : Double(Int.random(in: 0..<86400, using: &random))
                    let length = Int.random(in: 0..<20, using: &random) == 0
                        ? Double(Int.random(in: 600_000...7_200_000, using: &random)) / 1000
                        : Double(Int.random(in: 500...90_000, using: &random)) / 1000
                    let score = Double(Int.random(in: 0...100, using: &random)) / 100
                    events.append(NewMotionEvent(
                        start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + length),
                        offsetSeconds: offset, clipStart: start.addingTimeInterval(offset - 2),
                        clipEnd: start.addingTimeInterval(offset + length + 2), peakTime: start.addingTimeInterval(offset),
                        peakScore: score, meanScore: score / 2, area: Double(Int.random(in: 0...50, using: &random)) / 1000,
                        boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: nil))
                }
                events.sort { $0.start < $1.start }
                _ = try await catalog.commitIndexed(recording, events: events)
            }
        }
        return cameras
    }

    /// A random search: some place filter or none, some time range or none, minimums or not, either order.
    static func randomQuery(cameras: [Camera], random: inout Seeded) -> SearchQuery {
        var query = SearchQuery()
        switch Int.random(in: 0..<7, using: &random) {
        case 0: break
        case 1: query.cameras = Array(cameras.shuffled(using: &random).prefix(Int.random(in: 1...6, using: &random)).map(\.id))
        case 2: query.ward = wards.randomElement(using: &random)!
        case 3: query.street = streets.randomElement(using: &random)!
        case 4: query.radiusMetres = Double(Int.random(in: 100...600, using: &random))
        case 5: query.box = (GeoPoint(latitude: 10.7695, longitude: 106.6895), GeoPoint(latitude: 10.7745, longitude: 106.6965))
        default: query.wardScope = Array(wards.shuffled(using: &random).prefix(2))
        }
        if query.radiusMetres != nil || Bool.random(using: &random) {
            let camera = cameras.randomElement(using: &random)!
            query.near = GeoPoint(latitude: camera.latitude!, longitude: camera.longitude!)
        }
        if Int.random(in: 0..<3, using: &random) > 0 {
            query.from = base.addingTimeInterval(Double(Int.random(in: -3600..<172_800, using: &random)))
        }
        if Int.random(in: 0..<3, using: &random) > 0 {
            query.to = (query.from ?? base).addingTimeInterval(Double(Int.random(in: 1..<40_000, using: &random)))
        }
        if Int.random(in: 0..<3, using: &random) == 0 { query.minimumScore = Double(Int.random(in: 0...100, using: &random)) / 100 }
        if Int.random(in: 0..<4, using: &random) == 0 { query.minimumArea = Double(Int.random(in: 0...50, using: &random)) / 1000 }
        if Int.random(in: 0..<4, using: &random) == 0 {
            query.minimumDurationSeconds = Double(Int.random(in: 0...120, using: &random))
        }
        query.order = Bool.random(using: &random) ? .time : .distance
        query.limit = Int.random(in: 1...30, using: &random)
        return query
    }

    /// What the search must return: the admitted cameras' events filtered one by one and sorted.
    static func bruteForce(_ query: SearchQuery, cameras: [Camera], events: [MotionEvent], paths: [Int64: String]) -> [SearchHit] {
        let admitted = Dictionary(uniqueKeysWithValues: query.admitted(cameras).map { ($0.id, $0) })
        func distance(_ camera: Camera) -> Double? {
            query.near.map { $0.distance(to: GeoPoint(latitude: camera.latitude!, longitude: camera.longitude!)) }
        }
        let hits = events.compactMap { event -> SearchHit? in
            guard let camera = admitted[event.camera] else { return nil }
            let start = millis(event.start), end = millis(event.end)
            if let from = query.from, end <= millis(from) { return nil }
            if let to = query.to, start >= millis(to) { return nil }
            if let score = query.minimumScore, event.peakScore < score { return nil }
            if let area = query.minimumArea, event.area < area { return nil }
            if let duration = query.minimumDurationSeconds, end - start < Int64((duration * 1000).rounded()) { return nil }
            return SearchHit(event: event, camera: camera, recordingPath: paths[event.recordingID]!, distanceMetres: distance(camera))
        }
        let byDistance = query.order == .distance && query.near != nil
        return hits.sorted { lhs, rhs in
            let time = { (hit: SearchHit) in (millis(hit.event.start), hit.event.id) }
            if byDistance, lhs.camera.id != rhs.camera.id {
                return (distance(lhs.camera)!, lhs.camera.id) < (distance(rhs.camera)!, rhs.camera.id)
            }
            return time(lhs) < time(rhs)
        }
    }

    /// All pages of a search, following cursors.
    static func allPages(_ catalog: SQLiteCatalog, _ query: SearchQuery, path: SQLiteCatalog.SearchPath?) async throws -> [SearchHit] {
        var query = query
        var hits: [SearchHit] = []
        for _ in 0..<5000 {
            let page = try await catalog.search(query, timeOrderPath: path)
            #expect(page.hits.count == query.limit || page.nextCursor == nil, "only the last page may be short")
            hits += page.hits
            guard let next = page.nextCursor else { return hits }
            query.cursor = next
        }
        Issue.record("more than 5000 pages")
        return hits
    }

    @Test("random searches, every time-order path, all pages", arguments: [1, 2, 3])
    func randomSearches(seed: UInt64) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("paths.sqlite"))
        var random = Seeded(state: seed)
        let cameras = try await Self.fill(catalog, random: &random)
        let events = try await catalog.events(matching: EventQuery())
        var paths: [Int64: String] = [:]
        for id in Set(events.map(\.recordingID)) { paths[id] = try await catalog.recording(id: id)!.path }
        var startedBefore = 0, compared = 0
        for index in 0..<60 {
            let query = Self.randomQuery(cameras: cameras, random: &random)
            let expected = Self.bruteForce(query, cameras: cameras, events: events, paths: paths)
            for path in [nil, SQLiteCatalog.SearchPath.timeScan, .mergeCameras] {
                let found = try await Self.allPages(catalog, query, path: path)
                #expect(found == expected, "seed \(seed), query \(index), path \(String(describing: path)): \(query)")
                #expect(Set(found.map(\.event.id)).count == found.count, "no event twice")
                compared += found.count
            }
            if let from = query.from { startedBefore += expected.filter { $0.event.start < from }.count }
        }
        // The generated searches did reach events that started before their range and ran into it.
        #expect(startedBefore > 0)
        #expect(compared > 500)
    }

    @Test("a camera's next events come from event_camera_time without sorting the range; a time scan does not sort")
    func queryPlans() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("plans.sqlite"))
        let bare = SQLiteCatalog.EventFilter()
        let full = SQLiteCatalog.EventFilter(endsAfter: 10, startsFrom: 5, startsBefore: 20, minimumScore: 0.5, minimumArea: 0.1,
                                             minimumDuration: 3)
        let after = SQLiteCatalog.EventKey(start: 12, id: 7)
        for filter in [bare, full] {
            for key in [nil, after] {
                let clauses = filter.conditions(after: key).clauses
                let camera = try catalog.queryPlan(SQLiteCatalog.cameraKeysSQL(clauses))
                // Only ties on the start (ordered by end in the index, by id here) are sorted.
                #expect(camera.contains { $0.hasPrefix("SEARCH event USING") && $0.contains("INDEX event_camera_time (camera_id=?") },
                        "\(camera)")
                #expect(camera.allSatisfy { !$0.contains("TEMP B-TREE") || $0.contains("RIGHT PART OF ORDER BY") }, "\(camera)")
                for cameras in [nil, 3] {
                    let scan = try catalog.queryPlan(SQLiteCatalog.scannedKeysSQL(clauses, cameras: cameras))
                    #expect(scan.contains { $0.contains("USING INDEX event_start") || $0.contains("USING COVERING INDEX event_start") },
                            "\(scan)")
                    #expect(scan.allSatisfy { !$0.contains("TEMP B-TREE") }, "\(scan)")
                }
            }
        }
        // Without minimums on score or area, the merge reads the index alone.
        #expect(try catalog.queryPlan(SQLiteCatalog.cameraKeysSQL(bare.conditions(after: after).clauses))
            .contains { $0.contains("COVERING INDEX event_camera_time") })
    }

    @Test("a change to the camera registry, from this catalog or another process's, shows in the next search")
    func registryChanges() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("registry.sqlite"))
        let other = try SQLiteCatalog(path: folder.path("registry.sqlite"))
        var random = Seeded(state: 9)
        let cameras = try await Self.fill(catalog, random: &random)
        func found(_ catalog: SQLiteCatalog, ward: String) async throws -> Set<String> {
            var query = SearchQuery()
            query.ward = ward
            query.limit = 10_000
            return await Set(try catalog.search(query).hits.map(\.camera.id))
        }
        let before = try await found(catalog, ward: "ben thanh")
        #expect(before.contains("CAM00") && !before.contains("CAM01"))
        // Another connection (as another process would) moves CAM00 to another ward.
        var moved = cameras[0]
        moved.ward = "Phường Cửa Nam"
        try await other.saveCameras([moved])
        #expect(try await found(catalog, ward: "ben thanh") == before.subtracting(["CAM00"]))
        #expect(try await found(catalog, ward: "cua nam").contains("CAM00"))
        // A recording from a camera not in the registry registers it (with no ward): its events show
        // in a search over every camera.
        let recording = NewRecording(fingerprint: "new", path: "/f/new.mp4", camera: "CAM99", start: Self.base,
                                     startSource: .container, durationSeconds: 60, codec: "h264", width: 1, height: 1,
                                     frameRate: 25, frameCount: 1, sizeBytes: 1)
        let event = NewMotionEvent(start: Self.base, end: Self.base.addingTimeInterval(5), offsetSeconds: 0, clipStart: Self.base,
                                   clipEnd: Self.base, peakTime: Self.base, peakScore: 1, meanScore: 1, area: 0.1,
                                   boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: nil)
        _ = try await other.commitIndexed(recording, events: [event])
        var everything = SearchQuery()
        everything.cameras = ["CAM99"]
        #expect(try await catalog.search(everything).hits.map(\.camera.id) == ["CAM99"])
    }

    @Test("a search over every camera finds events that started before its range, on each path")
    func startedBeforeRange() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("long.sqlite"))
        let cameras = (0..<3).map {
            Camera(id: "CAM0\($0)", name: nil, ward: "Phường \($0 % 2)", street: nil, latitude: 10 + Double($0), longitude: 106)
        }
        try await catalog.saveCameras(cameras)
        let base = Self.base
        func event(_ from: Double, _ to: Double) -> NewMotionEvent {
            NewMotionEvent(start: base.addingTimeInterval(from), end: base.addingTimeInterval(to), offsetSeconds: from,
                           clipStart: base, clipEnd: base, peakTime: base, peakScore: 1, meanScore: 1, area: 0.1,
                           boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: nil)
        }
        for camera in cameras {
            let recording = NewRecording(fingerprint: camera.id, path: "/f/\(camera.id).mp4", camera: camera.id, start: base,
                                         startSource: .container, durationSeconds: 86400, codec: "h264", width: 1, height: 1,
                                         frameRate: 25, frameCount: 1, sizeBytes: 1)
            // Two hours of motion from 00:00, then short events; the range starts at 01:00.
            _ = try await catalog.commitIndexed(recording, events: [event(0, 7200), event(3000, 3500), event(3599, 3601), event(4000, 4010)])
        }
        for path in SQLiteCatalog.SearchPath.allCases {
            for ward in [nil, "Phường 0"] {
                var query = SearchQuery()
                query.from = base.addingTimeInterval(3600)
                query.to = base.addingTimeInterval(3700)
                query.ward = ward
                query.order = path == .nearestCameras ? .distance : .time
                query.near = path == .nearestCameras ? GeoPoint(latitude: 0, longitude: 0) : nil
                let found = try await catalog.search(query, timeOrderPath: path == .nearestCameras ? nil : path).hits
                let expected = ward == nil ? 6 : 4
                #expect(found.count == expected, "\(path) \(ward ?? "all")")
                #expect(found.allSatisfy { $0.event.start < query.from! && $0.event.end > query.from! })
            }
        }
    }
}
