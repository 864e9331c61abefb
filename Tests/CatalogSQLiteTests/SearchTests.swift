import Catalog
import CatalogSQLite
import Foundation
import Testing

@Suite("Searching events by time and place")
struct SearchTests {
    let base = Date(timeIntervalSince1970: 1_720_600_200) // 2024-07-10 15:30 +07:00
    static let cameras = [
        Camera(id: "CAM01", name: "Số 12 Nguyễn Trãi", ward: "Phường Bến Thành", street: "số 12 Nguyễn Trãi",
               latitude: 10.7725, longitude: 106.6980),
        Camera(id: "CAM02", name: "Ngã tư Nguyễn Trãi – Lê Lợi", ward: "Phường Bến Thành", street: "ngã tư Nguyễn Trãi – Lê Lợi",
               latitude: 10.7740, longitude: 106.6990),
        Camera(id: "CAM03", name: "Số 5 Đinh Lễ", ward: "Phường Tràng Tiền", street: "số 5 Đinh Lễ",
               latitude: 10.7900, longitude: 106.7100),
    ]

    /// A catalog with 10 events per camera, one a minute, with scores rising.
    func fill() throws -> (TemporaryFolder, SQLiteCatalog) {
        let folder = try TemporaryFolder()
        let catalog = try SQLiteCatalog(path: folder.path("search.sqlite"))
        try catalog.saveCameras(Self.cameras)
        for (index, camera) in Self.cameras.enumerated() {
            let start = base.addingTimeInterval(Double(index))
            let recording = NewRecording(fingerprint: camera.id, path: "/f/\(camera.id).mp4", camera: camera.id, start: start,
                                         startSource: .container, durationSeconds: 600, codec: "h264", width: 1920, height: 1080,
                                         frameRate: 25, frameCount: 15000, sizeBytes: 1)
            var events: [NewMotionEvent] = []
            for minute in 0..<10 {
                let offset = Double(minute * 60)
                let length = Double(5 + minute)
                let box = NormalizedBox(x: 0, y: 0, width: 1, height: 1)
                events.append(NewMotionEvent(
                    start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + length),
                    offsetSeconds: offset, clipStart: start, clipEnd: start, peakTime: start,
                    peakScore: Double(minute) / 10, meanScore: 0, area: Double(minute) / 100, boundingBox: box, still: nil))
            }
            _ = try catalog.commitIndexed(recording, events: events)
        }
        return (folder, catalog)
    }

    func ids(_ catalog: SQLiteCatalog, _ configure: (inout SearchQuery) -> Void) throws -> [String] {
        var query = SearchQuery()
        configure(&query)
        return try catalog.search(query).hits.map { "\($0.camera.id)/\(Int($0.event.offsetSeconds / 60))" }
    }

    @Test("streets and wards match without diacritics or case, by word prefix", arguments: [
        ("nguyen trai", ["CAM01", "CAM02"]), ("Nguyễn Trãi", ["CAM01", "CAM02"]), ("NGUYEN TR", ["CAM01", "CAM02"]),
        ("le loi", ["CAM02"]), ("dinh le", ["CAM03"]), ("trai nguyen", ["CAM01", "CAM02"]), ("nguyen van", []),
    ])
    func streets(street: String, expected: [String]) throws {
        let (folder, catalog) = try fill()
        defer { folder.remove() }
        let found = Set(try ids(catalog) { $0.street = street }.map { String($0.prefix(5)) })
        #expect(found == Set(expected))
        let byWard = Set(try ids(catalog) { $0.ward = "ben thanh" }.map { String($0.prefix(5)) })
        #expect(byWard == ["CAM01", "CAM02"])
    }

    @Test("radius, box, time range and thresholds narrow the results")
    func filters() throws {
        let (folder, catalog) = try fill()
        defer { folder.remove() }
        let point = GeoPoint(latitude: 10.7725, longitude: 106.6980)
        #expect(Set(try ids(catalog) { $0.near = point; $0.radiusMetres = 100 }.map { String($0.prefix(5)) }) == ["CAM01"])
        #expect(Set(try ids(catalog) { $0.near = point; $0.radiusMetres = 500 }.map { String($0.prefix(5)) }) == ["CAM01", "CAM02"])
        #expect(Set(try ids(catalog) {
            $0.box = (GeoPoint(latitude: 10.78, longitude: 106.70), GeoPoint(latitude: 10.80, longitude: 106.72))
        }.map { String($0.prefix(5)) }) == ["CAM03"])
        #expect(try ids(catalog) {
            $0.cameras = ["CAM01"]; $0.from = base.addingTimeInterval(125); $0.to = base.addingTimeInterval(240)
        } == ["CAM01/2", "CAM01/3"])
        #expect(try ids(catalog) { $0.cameras = ["CAM01"]; $0.minimumScore = 0.8 } == ["CAM01/8", "CAM01/9"])
        #expect(try ids(catalog) { $0.cameras = ["CAM01"]; $0.minimumDurationSeconds = 13 } == ["CAM01/8", "CAM01/9"])
        #expect(try ids(catalog) { $0.cameras = ["CAM01"]; $0.minimumArea = 0.09 } == ["CAM01/9"])
    }

    @Test("a ward scope hides every other ward, whatever else is asked")
    func wardScope() throws {
        let (folder, catalog) = try fill()
        defer { folder.remove() }
        #expect(Set(try ids(catalog) { $0.wardScope = ["Phường Tràng Tiền"] }.map { String($0.prefix(5)) }) == ["CAM03"])
        #expect(try ids(catalog) { $0.wardScope = ["Phường Tràng Tiền"]; $0.cameras = ["CAM01"] }.isEmpty)
        #expect(try ids(catalog) { $0.wardScope = ["Phường Tràng Tiền"]; $0.street = "nguyen trai" }.isEmpty)
    }

    @Test("pages follow each other without gaps or repeats, in time and in distance order", arguments: [false, true])
    func pagination(byDistance: Bool) throws {
        let (folder, catalog) = try fill()
        defer { folder.remove() }
        var query = SearchQuery()
        query.limit = 7
        if byDistance {
            query.near = GeoPoint(latitude: 10.7900, longitude: 106.7100)
            query.order = .distance
        }
        var seen: [String] = []
        var pages = 0
        repeat {
            let page = try catalog.search(query)
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
        #expect(try catalog.search(all).hits.map { "\($0.camera.id)/\($0.event.id)" } == seen)
    }

    @Test("a cursor from another kind of search is refused, naming the parameter")
    func badCursor() throws {
        let (folder, catalog) = try fill()
        defer { folder.remove() }
        var query = SearchQuery()
        query.cursor = "not-a-cursor"
        #expect { try catalog.search(query) } throws: { ($0 as? CatalogError)?.code == .invalidQuery }
    }

    @Test("distance and bearing")
    func geometry() {
        let hoanKiem = GeoPoint(latitude: 21.0285, longitude: 105.8542)
        let north = GeoPoint(latitude: 21.0285 + 0.001, longitude: 105.8542)
        #expect(abs(hoanKiem.distance(to: north) - 111.2) < 0.5)
        #expect(hoanKiem.bearing(to: north) == "N")
        #expect(PlaceText.fold("Ngã tư Đinh Lễ – Tràng Tiền") == "nga tu dinh le trang tien")
    }
}
