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
