import Catalog
import Foundation
import Testing

@Suite("ISO 8601 timestamps")
struct TimestampTests {
    let utc = TimeZone(identifier: "UTC")!
    let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test("formats with milliseconds and an explicit offset")
    func formatting() {
        let date = Date(timeIntervalSince1970: 1_720_600_204.4)
        #expect(Timestamp.format(date) == "2024-07-10T08:30:04.400Z")
        #expect(Timestamp.format(date, in: hanoi) == "2024-07-10T15:30:04.400+07:00")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z")
    }

    @Test("parses the forms cameras and people write", arguments: [
        ("2024-07-10T08:30:04.400Z", 1_720_600_204.4),
        ("2024-07-10T08:30:00.000000Z", 1_720_600_200.0),
        ("2024-07-10 15:30:00+07:00", 1_720_600_200.0),
        ("2024-07-10T15:30:00+0700", 1_720_600_200.0),
        ("2024-07-10T15:30", 1_720_600_200.0), // no offset: the default zone (Hanoi here)
        ("2024-07-10", 1_720_544_400.0),
    ])
    func parsing(text: String, epoch: Double) throws {
        let date = try #require(Timestamp.parse(text, defaultZone: hanoi))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.0005)
    }

    @Test("rejects what is not a timestamp", arguments: [
        "", "yesterday", "2024-13-01", "2024-02-30T00:00:00Z", "2024-07-10T25:00", "2024-07-10T08:30:00Zjunk",
        "2024-07-10T08:30:00.Z",
    ])
    func rejecting(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("round trips")
    func roundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_731_000_123.456)
        let text = Timestamp.format(date, in: hanoi)
        #expect(abs(try #require(Timestamp.parse(text)).timeIntervalSince1970 - date.timeIntervalSince1970) < 1e-6)
        #expect(Timestamp.format(try #require(Timestamp.parse(text)), in: hanoi) == text)
    }
}

@Suite("ISO 8601 formatting against Foundation's calendar")
struct TimestampCalendarTests {
    @Test("formatting agrees with Calendar for 20,000 instants from 1900 to 2100 in several zones")
    func agreesWithCalendar() throws {
        var generator = SystemRandomNumberGenerator()
        let zones = ["UTC", "Asia/Ho_Chi_Minh", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"].compactMap(TimeZone.init(identifier:))
        let edges: [Double] = [0, -1, -86_400, 951_782_400, 4_107_542_399.999, -2_208_988_800, 1_709_164_800]
        let instants = edges + (0..<20_000).map { _ in Double.random(in: -2_208_988_800...4_102_444_800, using: &generator) }
        for instant in instants {
            let date = Date(timeIntervalSince1970: (instant * 1000).rounded() / 1000)
            for zone in zones {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!,
                                      parts.hour!, parts.minute!, parts.second!)
                let formatted = Timestamp.format(date, in: zone)
                #expect(formatted.hasPrefix(expected), "\(instant) in \(zone.identifier): \(formatted) vs \(expected)")
                // Old local mean times (e.g. +07:06:40 before 1906) have offsets with seconds, which ISO 8601 cannot carry.
                if zone.secondsFromGMT(for: date) % 60 == 0 {
                    #expect(Timestamp.parse(formatted).map { abs($0.timeIntervalSince(date)) < 0.0005 } == true, "\(formatted)")
                }
                if !formatted.hasPrefix(expected) { return }
            }
        }
    }
}
