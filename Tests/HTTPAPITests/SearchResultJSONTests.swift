import Catalog
import HTTPAPI
import Foundation
import Testing

@Suite("Search results as JSON")
struct SearchResultJSONTests {
    /// Random results, with and without optional parts, and text that needs escaping.
    static func page(seed: UInt64, count: Int) -> [SearchResultItem] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        func maybe<T>(_ value: T) -> T? { next() % 3 == 0 ? nil : value }
        let names = ["Số 12 Nguyễn Trãi", "ngã tư \"Hàng Trống\" – Lê Thái Tổ", "back\\slash", "tab\there\nline", "\u{1}ctl", "đường 🚦"]
        return (0..<count).map { index in
            let start = Date(timeIntervalSince1970: 1_720_000_000 + Double(next() % 10_000_000) / 7)
            let camera = Camera(id: "CAM\(next() % 100)", name: maybe(names[Int(next() % 6)]), ward: maybe("Phường \(next() % 25)"),
                                street: maybe(names[Int(next() % 6)]), latitude: maybe(21 + Double(next() % 10_000) / 1e5),
                                longitude: maybe(105.8 + Double(next() % 10_000) / 1e5))
            let event = MotionEvent(
                id: Int64(index + 1), camera: camera.id, recordingID: Int64(next() % 1000), start: start,
                end: start.addingTimeInterval(Double(next() % 600) / 10), offsetSeconds: Double(next() % 86_400) / 3,
                clipStart: start.addingTimeInterval(-2), clipEnd: start.addingTimeInterval(30), peakTime: start,
                peakScore: Double(next() % 1000) / 997, meanScore: 0.1, area: Double(next() % 100_000) / 1e7,
                boundingBox: NormalizedBox(x: Double(next() % 100) / 100, y: 0, width: 1, height: 0.25), still: maybe("s.jpg"))
            let hit = SearchHit(event: event, camera: camera, recordingPath: "/footage/\(camera.id).mp4",
                                distanceMetres: maybe(Double(next() % 5000) + 0.4))
            return SearchResultItem(hit, zone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, still: maybe("/stills/\(index).jpg"),
                                    recordingPath: maybe(hit.recordingPath), clipURL: maybe("/api/v1/recordings/1/clip?from=1.000&to=2.500"))
        }
    }

    func parsed(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    func encoded<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    @Test("the hand-written page is the document JSONEncoder writes, for results and GeoJSON", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func sameDocument(seed: UInt64) throws {
        let items = Self.page(seed: seed, count: 40)
        for cursor in [nil, "MTcyMDAwMDAwMDAwMDoxMg"] {
            let list = SearchResultList(events: items, nextCursor: cursor)
            #expect(try parsed(list.jsonData()) == parsed(encoded(list)))
            let geo = SearchGeoJSON(items: items, nextCursor: cursor)
            #expect(try parsed(geo.jsonData()) == parsed(encoded(geo)))
        }
        // And keys come out sorted, as the API promises.
        let text = String(decoding: SearchResultList(events: Array(items.prefix(1)), nextCursor: "c").jsonData(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"events":[{"area":"#) && text.hasSuffix(#"],"next_cursor":"c"}"#))
    }

    @Test("an empty page")
    func empty() throws {
        #expect(String(decoding: SearchResultList(events: [], nextCursor: nil).jsonData(), as: UTF8.self) == #"{"events":[]}"#)
        #expect(String(decoding: SearchGeoJSON(items: [], nextCursor: nil).jsonData(), as: UTF8.self)
            == #"{"features":[],"type":"FeatureCollection"}"#)
    }
}
