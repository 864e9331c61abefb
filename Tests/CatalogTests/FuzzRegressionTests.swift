import Catalog
import Foundation
import Testing

/// Inputs the fuzz harnesses (Fuzz/) found, kept as tests.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test("FuzzTimes: years that would print back as another day (Julian years, 9999 east of UTC) are refused",
          arguments: ["0024-07-10", "1582-10-10", "1599-12-31T23:59:59Z", "9999-12-31T23:00:00+07:00"])
    func earlyYears(text: String) {
        #expect(Timestamp.parse(text, defaultZone: hanoi) == nil)
    }

    @Test("every accepted time prints and reads back to the same millisecond",
          arguments: ["1600-01-02T00:00:00Z", "1899-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "1970-01-01", "2024-02-29T23:59:59.9996+07:00", "9998-12-31T23:59:59.999Z"])
    func roundTrip(text: String) throws {
        let date = try #require(Timestamp.parse(text, defaultZone: hanoi))
        let utc = try #require(Timestamp.parse(Timestamp.format(date), defaultZone: hanoi))
        #expect(abs(utc.timeIntervalSince(date)) < 0.001)
        // In the ward's zone too, except local mean time, whose offsets have seconds ISO 8601 cannot print.
        if hanoi.secondsFromGMT(for: date) % 60 == 0 {
            let local = try #require(Timestamp.parse(Timestamp.format(date, in: hanoi), defaultZone: hanoi))
            #expect(abs(local.timeIntervalSince(date)) < 0.001)
        }
    }
}
