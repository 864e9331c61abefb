/// A problem with an import: which file, line, row and field, and what to change. One line.
public struct LinkingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The file cannot be read.
        case unreadable
        /// The file is not CSV with a header, or not a JSON array of objects.
        case malformed
        /// A value is missing or wrong.
        case invalid
    }

    public var code: Code
    /// The file name, or "request body".
    public var file: String
    /// 1-based line where the row starts, when known.
    public var line: Int?
    /// 1-based data row (the CSV header is not a row; in JSON, the array element).
    public var row: Int?
    /// The column or key at fault.
    public var field: String?
    public var message: String

    public init(_ code: Code, file: String, line: Int? = nil, row: Int? = nil, field: String? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.row = row
        self.field = field
        self.message = message
    }

    /// "incidents.csv:7: row 6: occurred_to: '2024-07-10 25:00' is not an ISO 8601 time".
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let row { text += "row \(row): " }
        if let field { text += "\(field): " }
        return text + message
    }
}

/// Every problem of an import; nothing was imported.
public struct ImportProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [LinkingError]

    public init(_ problems: [LinkingError]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
