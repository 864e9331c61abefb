import Foundation

/// ISO 8601 reading and writing, the one time format WardWatch speaks.
///
/// Written with milliseconds and an explicit offset ("2024-07-10T08:30:04.400Z" in UTC,
/// "2024-07-10T15:30:04.400+07:00" in a ward's zone). Read from the forms cameras and people
/// write: with or without fraction (any digits), with "T" or a space, with "Z", "+07:00", "+0700",
/// or no offset (then the given zone applies).
public enum Timestamp {
    /// 0000-01-01T00:00:00.000 to 9999-12-31T23:59:59.999 in milliseconds since 1970: `format` clamps to these.
    static let printable: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    /// Formats `date` in UTC with milliseconds: "2024-07-10T08:30:04.400Z".
    ///
    /// Plain integer arithmetic on the proleptic Gregorian calendar, not `Calendar`: a search page
    /// formats hundreds of times, and `Calendar` (like building a `TimeZone`) costs tens of
    /// microseconds each on Linux.
    public static func format(_ date: Date) -> String {
        format(millisSinceEpoch: Int64(millisecondsSince1970: date), offsetSeconds: 0)
    }

    /// Formats `date` in `timeZone` with milliseconds and offset: "2024-07-10T15:30:04.400+07:00".
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        // Round to the millisecond first so 59.9996 does not print as 59.1000.
        let millis = Int64(millisecondsSince1970: date)
        return format(millisSinceEpoch: millis,
                      offsetSeconds: timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
    }

    private static func format(millisSinceEpoch: Int64, offsetSeconds offset: Int) -> String {
        // Times outside years 0000–9999 (which ISO 8601 writes with four digits) print clamped to them.
        let local = min(max(millisSinceEpoch + Int64(offset) * 1000, Self.printable.lowerBound), Self.printable.upperBound)
        let (daysSinceEpoch, millisOfDay) = floorDivision(local, 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: daysSinceEpoch)
        let seconds = Int(millisOfDay / 1000), millis = Int(millisOfDay % 1000)
        var text: [UInt8] = []
        text.reserveCapacity(29)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            if width == 4 && value >= 10_000 { text.append(contentsOf: String(value).utf8); return }
            var rest = value
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); text.append(UInt8(ascii: "-")); digits(month, 2); text.append(UInt8(ascii: "-")); digits(day, 2)
        text.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2); text.append(UInt8(ascii: ":")); digits(seconds % 3600 / 60, 2)
        text.append(UInt8(ascii: ":")); digits(seconds % 60, 2); text.append(UInt8(ascii: ".")); digits(millis, 3)
        if offset == 0 {
            text.append(UInt8(ascii: "Z"))
        } else {
            text.append(UInt8(ascii: offset < 0 ? "-" : "+"))
            digits(abs(offset) / 3600, 2); text.append(UInt8(ascii: ":")); digits(abs(offset) % 3600 / 60, 2)
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    /// Year, month and day of the day `daysSinceEpoch` days after 1970-01-01, counting in 400-year
    /// eras (146,097 days each) from 0000-03-01 so that the leap day falls at the end of a year.
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int, month: Int, day: Int) {
        let fromMarchZero = daysSinceEpoch + 719_468 // days from 0000-03-01 to 1970-01-01
        let era = (fromMarchZero >= 0 ? fromMarchZero : fromMarchZero - 146_096) / 146_097
        let dayOfEra = fromMarchZero - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153 // 0 = March … 11 = February
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Parses an ISO 8601 date-time (or a date alone, meaning midnight). Text without an offset
    /// is read in `defaultZone`. Returns nil when the text is not such a timestamp.
    public static func parse(_ text: String, defaultZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for k in 0..<digits {
                let c = scalars[index + k]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            index += digits
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard index < scalars.count, scalars[index] == c else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0, fraction = 0.0
        if index < scalars.count, scalars[index] == 84 || scalars[index] == 32 || scalars[index] == 116 { // T, space, t
            index += 1
            guard let h = number(2), expect(58), let m = number(2) else { return nil }
            hour = h; minute = m
            if expect(58) {
                guard let s = number(2) else { return nil }
                second = s
                if index < scalars.count, scalars[index] == 46 || scalars[index] == 44 { // . or ,
                    index += 1
                    var digits = "0."
                    while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
                        digits.append(Character(UnicodeScalar(scalars[index])))
                        index += 1
                    }
                    guard digits.count > 2, let value = Double(digits) else { return nil }
                    fraction = value
                }
            }
        }
        var zone = defaultZone
        if index < scalars.count {
            if scalars[index] == 90 || scalars[index] == 122 { // Z
                index += 1
                zone = TimeZone(identifier: "UTC")!
            } else if scalars[index] == 43 || scalars[index] == 45 { // + -
                let negative = scalars[index] == 45
                index += 1
                guard let oh = number(2) else { return nil }
                _ = expect(58)
                let om = number(2) ?? 0
                guard oh <= 18, om < 60, let fixed = TimeZone(secondsFromGMT: (negative ? -1 : 1) * (oh * 3600 + om * 60))
                else { return nil }
                zone = fixed
            }
        }
        // Years 1600 to 9999 only, so that a time read prints back as the same day (found by FuzzTimes):
        // Foundation's calendar is Julian before 1582 while `format` is proleptic Gregorian.
        guard index == scalars.count, (1600...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let whole = calendar.date(from: components),
              calendar.component(.day, from: whole) == day else { return nil }
        let result = whole.addingTimeInterval(fraction)
        // And only instants that print with a four-digit year in every zone (offsets reach ±14 h).
        guard Self.readable.contains(Int64(millisecondsSince1970: result)) else { return nil }
        return result
    }

    /// 1600-01-01T14:00Z to 9999-12-31T09:59:59.999Z: instants whose local date is in years 1600–9999 everywhere.
    static let readable: ClosedRange<Int64> = (-11_676_096_000_000 + 50_400_000)...(printable.upperBound - 50_400_000)
}
