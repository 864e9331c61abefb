import Foundation

/// Where an event's motion happened, coarsely: a 32 × 18 grid of bits laid over the camera's
/// picture, one 32-bit word per row (bit c of word r = column c of row r). Stored with the event,
/// so "what crossed this gate" is answered from the catalog without decoding any footage.
public struct EventFootprint: Sendable, Equatable, Codable {
    public static let columns = 32
    public static let rows = 18

    /// `rows` words; bit c of word r is cell (c, r).
    public private(set) var words: [UInt32]

    public init(words: [UInt32]) {
        var padded = Array(words.prefix(Self.rows))
        padded += [UInt32](repeating: 0, count: Self.rows - padded.count)
        self.words = padded
    }

    /// The cells a normalized region touches (any overlap counts).
    public init(region: NormalizedBox) {
        var words = [UInt32](repeating: 0, count: Self.rows)
        let first = Self.range(region.x, region.width, count: Self.columns)
        let rows = Self.range(region.y, region.height, count: Self.rows)
        if let first, let rows {
            var word: UInt32 = 0
            for column in first { word |= 1 << UInt32(column) }
            for row in rows { words[row] = word }
        }
        self.words = words
    }

    private static func range(_ start: Double, _ length: Double, count: Int) -> ClosedRange<Int>? {
        let low = max(0, Int((start * Double(count)).rounded(.down)))
        let high = min(count - 1, Int(((start + length) * Double(count)).rounded(.up)) - 1)
        return low <= high ? low...high : nil
    }

    public var isEmpty: Bool { !words.contains { $0 != 0 } }

    public func touches(_ other: EventFootprint) -> Bool {
        zip(words, other.words).contains { $0 & $1 != 0 }
    }

    public mutating func formUnion(_ other: EventFootprint) {
        for index in words.indices { words[index] |= other.words[index] }
    }

    /// Two rows per 64-bit integer (row 2k in the low half, 2k+1 in the high half): nine integers
    /// that SQL can test with `&` (SQLite and PostgreSQL integers are signed 64-bit).
    public var packed: [Int64] {
        (0..<(Self.rows / 2)).map { Int64(bitPattern: UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32) }
    }

    public init(packed: [Int64]) {
        var words: [UInt32] = []
        for value in packed.prefix(Self.rows / 2) {
            let bits = UInt64(bitPattern: value)
            words.append(UInt32(truncatingIfNeeded: bits))
            words.append(UInt32(truncatingIfNeeded: bits >> 32))
        }
        self.init(words: words)
    }

    /// The grid as text, one line per row, `#` for moved cells (for people reading a test failure).
    public var picture: String {
        words.map { word in String((0..<Self.columns).map { word & (1 << UInt32($0)) != 0 ? "#" : "." }) }
            .joined(separator: "\n")
    }
}

/// One point of the path of an event's main moving object: its centre, normalized to the picture,
/// `seconds` after the event's start.
public struct TravelPoint: Sendable, Equatable, Codable {
    public var seconds: Double
    public var x: Double
    public var y: Double

    public init(seconds: Double, x: Double, y: Double) {
        self.seconds = seconds
        self.x = x
        self.y = y
    }

    /// "s,x,y;s,x,y" with millisecond and 1/1000-picture precision: how paths are stored.
    public static func encode(_ path: [TravelPoint]) -> String {
        path.map { String(format: "%.3f,%.3f,%.3f", $0.seconds, $0.x, $0.y) }.joined(separator: ";")
    }

    public static func decode(_ text: String) -> [TravelPoint] {
        text.split(separator: ";").compactMap { point in
            let parts = point.split(separator: ",").compactMap { Double($0) }
            return parts.count == 3 ? TravelPoint(seconds: parts[0], x: parts[1], y: parts[2]) : nil
        }
    }
}

/// Which way an object crossed the picture.
public enum TravelDirection: String, Sendable, Equatable, CaseIterable, Codable {
    case leftToRight = "left-to-right"
    case rightToLeft = "right-to-left"
    case topToBottom = "top-to-bottom"
    case bottomToTop = "bottom-to-top"

    /// Net travel below this (fraction of the picture) has no direction.
    public static let minimumTravel = 0.05

    /// The direction of a net travel (dx, dy in fractions of the picture's width and height), or nil
    /// when it is too short to tell.
    public init?(dx: Double, dy: Double) {
        guard max(abs(dx), abs(dy)) >= Self.minimumTravel else { return nil }
        if abs(dx) >= abs(dy) { self = dx > 0 ? .leftToRight : .rightToLeft } else { self = dy > 0 ? .topToBottom : .bottomToTop }
    }

    /// The net travel of a path: last point minus first.
    public static func travel(of path: [TravelPoint]) -> (dx: Double, dy: Double)? {
        guard let first = path.first, let last = path.last, path.count >= 2 else { return nil }
        return (last.x - first.x, last.y - first.y)
    }

    /// The picture direction of a compass heading, for a camera looking towards `view` (both in
    /// degrees from north, clockwise). Objects heading the way the camera looks move up the picture
    /// (away from it); heading 90° to the right of the view, they move left to right.
    public static func picture(heading: Double, view: Double) -> TravelDirection {
        let relative = ((heading - view).truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
        switch relative {
        case 45..<135: return .leftToRight
        case 135..<225: return .topToBottom
        case 225..<315: return .rightToLeft
        default: return .bottomToTop
        }
    }

    /// Degrees from north of a compass point ("N", "NE", "ssw", …) or of a number of degrees.
    public static func compassDegrees(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let points = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
        if let index = points.firstIndex(of: trimmed) { return Double(index) * 22.5 }
        let number = trimmed.hasSuffix("°") ? String(trimmed.dropLast()) : trimmed
        guard let degrees = Double(number), degrees.isFinite, (0...360).contains(degrees) else { return nil }
        return degrees
    }
}
