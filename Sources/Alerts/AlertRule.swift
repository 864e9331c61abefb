import Foundation
import Motion

/// A rule that turns matching events into lines of a log file.
public struct AlertRule: Sendable, Equatable {
    /// `incident`: a new suggested link between an open incident and a motion event.
    public enum Kind: String, Sendable, CaseIterable { case motion, health, incident }
    public enum Format: String, Sendable, CaseIterable { case json, text }

    public var name: String
    /// The log file lines are appended to.
    public var log: String
    public var format: Format = .json
    public var kinds: Set<Kind> = [.motion, .health]
    /// Empty lists match everything.
    public var cameras: [String] = []
    public var wards: [String] = []
    public var streets: [String] = []
    /// A local time-of-day window; it may cross midnight (22:00–05:00).
    public var timeOfDay: TimeWindow?
    public var minimumDurationSeconds: Double = 0
    public var minimumArea: Double = 0
    /// Picture regions (normalized polygons): an event matches when its motion box touches one.
    public var zones: [Polygon] = []

    public init(name: String, log: String) {
        self.name = name
        self.log = log
    }
}

/// A window of local clock time, in minutes after midnight; `start > end` crosses midnight.
public struct TimeWindow: Sendable, Equatable {
    public var startMinute: Int
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses "22:00-05:00" (also with an en dash or spaces).
    public init?(_ text: String) {
        let parts = text.replacingOccurrences(of: "–", with: "-").split(separator: "-")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = Self.minute(parts[0]), let end = Self.minute(parts[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    private static func minute(_ text: String) -> Int? {
        let pieces = text.split(separator: ":")
        guard pieces.count == 2, let hour = Int(pieces[0]), let minute = Int(pieces[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440 else { return nil }
        return hour * 60 + minute
    }

    /// Whether a minute of the day (0..<1440) falls inside the window.
    public func contains(minuteOfDay: Int) -> Bool {
        startMinute <= endMinute
            ? minuteOfDay >= startMinute && minuteOfDay < endMinute
            : minuteOfDay >= startMinute || minuteOfDay < endMinute
    }
}
