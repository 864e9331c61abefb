import Catalog
import Foundation
import FuzzSupport

/// ISO 8601 times and relative periods ("90s", "2h", "7d"), and formatting what they parse to.
func fuzzTimes(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    // Local mean time (before ~1912) has offsets with seconds, which ISO 8601 cannot print: those are
    // checked in UTC only.
    if let date = Timestamp.parse(text, defaultZone: zone), zone.secondsFromGMT(for: date) % 60 == 0 {
        // Round trip: what we print, we read back to the same millisecond.
        let printed = Timestamp.format(date, in: zone)
        let again = Timestamp.parse(printed, defaultZone: zone)
        precondition(again.map { abs($0.timeIntervalSince(date)) < 0.001 } == true, "round trip of '\(text)' via '\(printed)'")
    }
    if let seconds = SearchParameters.period(text) {
        var parameters = SearchParameters()
        parameters.last = text
        _ = try? parameters.query(zone: zone, now: Date(timeIntervalSince1970: 1_720_600_200))
        precondition(seconds.isFinite && seconds > 0)
    }
}

FuzzDriver.run(fuzzTimes)
