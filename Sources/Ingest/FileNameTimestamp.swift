import Foundation

/// Reads a recording's start from its file name with a strftime-like pattern, e.g.
/// `%Y%m%d_%H%M%S` finds 2024-07-10 15:30:00 in `CAM07_20240710_153000.mp4`.
///
/// Supported fields: `%Y` (4 digits), `%m`, `%d`, `%H`, `%M`, `%S` (2 digits each), `%%`. Other
/// characters match themselves. The pattern may match anywhere in the name. Cameras write local
/// time, so the digits are read in the camera's time zone.
public struct FileNameTimestamp: Sendable, Equatable {
    /// `%Y%m%d_%H%M%S`, as most recorders name their files: the default.
    public static let standard = try! FileNameTimestamp(pattern: "%Y%m%d_%H%M%S")

    public let pattern: String
    private let regex: String
    private let fields: [Character]

    /// - Throws: `ConfigurationProblem`-style message when the pattern lacks a date or time field.
    public init(pattern: String) throws(FileNameTimestampError) {
        var regex = ""
        var fields: [Character] = []
        var iterator = pattern.makeIterator()
        while let c = iterator.next() {
            guard c == "%" else {
                regex += NSRegularExpression.escapedPattern(for: String(c))
                continue
            }
            guard let field = iterator.next() else { throw FileNameTimestampError(pattern: pattern, reason: "ends with a lone %") }
            switch field {
            case "Y": regex += "([0-9]{4})"; fields.append(field)
            case "m", "d", "H", "M", "S": regex += "([0-9]{2})"; fields.append(field)
            case "%": regex += "%"
            default: throw FileNameTimestampError(pattern: pattern, reason: "unknown field %\(field) (use %Y %m %d %H %M %S)")
            }
        }
        for required: Character in ["Y", "m", "d"] where !fields.contains(required) {
            throw FileNameTimestampError(pattern: pattern, reason: "needs %\(required)")
        }
        self.pattern = pattern
        self.regex = regex
        self.fields = fields
    }

    /// The instant in `fileName`, read in `timeZone`, or nil when the name does not match.
    public func date(in fileName: String, timeZone: TimeZone) -> Date? {
        guard let expression = try? NSRegularExpression(pattern: regex),
              let match = expression.firstMatch(in: fileName, range: NSRange(fileName.startIndex..., in: fileName))
        else { return nil }
        var components = DateComponents(hour: 0, minute: 0, second: 0)
        for (index, field) in fields.enumerated() {
            guard let range = Range(match.range(at: index + 1), in: fileName), let value = Int(fileName[range]) else { return nil }
            switch field {
            case "Y": components.year = value
            case "m": components.month = value
            case "d": components.day = value
            case "H": components.hour = value
            case "M": components.minute = value
            default: components.second = value
            }
        }
        guard let month = components.month, (1...12).contains(month), let day = components.day, (1...31).contains(day),
              components.hour! < 24, components.minute! < 60, components.second! < 61 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: components)
    }
}

public struct FileNameTimestampError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var reason: String
    public var description: String { "file-name pattern '\(pattern)': \(reason)" }
}
