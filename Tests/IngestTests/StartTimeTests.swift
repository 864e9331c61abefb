import Foundation
import Ingest
import Testing

@Suite("Start times from names and tags")
struct StartTimeTests {
    let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test("file-name patterns read local time", arguments: [
        ("%Y%m%d_%H%M%S", "CAM07_20240710_153000.mp4", 1_720_600_200.0),
        ("%Y-%m-%d/%H.%M.%S", "cam 2024-07-10/15.30.00 part1.avi", 1_720_600_200.0),
        ("%Y%m%d", "20240710.mkv", 1_720_544_400.0),
    ])
    func patterns(pattern: String, name: String, epoch: Double) throws {
        let reader = try FileNameTimestamp(pattern: pattern)
        #expect(reader.date(in: name, timeZone: hanoi)?.timeIntervalSince1970 == epoch)
    }

    @Test("names that do not match, or hold impossible dates, give nil")
    func noMatch() throws {
        let reader = try FileNameTimestamp(pattern: "%Y%m%d_%H%M%S")
        #expect(reader.date(in: "CAM07.mp4", timeZone: hanoi) == nil)
        #expect(reader.date(in: "CAM07_20241310_153000.mp4", timeZone: hanoi) == nil)
    }

    @Test("bad patterns are refused with a reason")
    func badPatterns() {
        #expect(throws: FileNameTimestampError.self) { try FileNameTimestamp(pattern: "%H%M%S") }
        #expect(throws: FileNameTimestampError.self) { try FileNameTimestamp(pattern: "%Y%m%d_%Q") }
    }

    @Test("ISO 6709 points", arguments: [
        ("+21.0285+105.8542/", 21.0285, 105.8542),
        ("-33.8688+151.2093+012.300/", -33.8688, 151.2093),
        ("+10.7769+106.7009", 10.7769, 106.7009),
    ])
    func iso6709(text: String, latitude: Double, longitude: Double) throws {
        let point = try #require(ISO6709.parse(text))
        #expect(point.latitude == latitude && point.longitude == longitude)
    }

    @Test("ISO 6709 garbage gives nil")
    func iso6709Garbage() {
        #expect(ISO6709.parse("Hanoi") == nil)
        #expect(ISO6709.parse("+95.0+10.0/") == nil)
    }
}
