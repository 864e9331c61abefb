import ArgumentParser
import Catalog
import Foundation

/// Plain-text table with aligned columns, for people.
public func renderTable(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}

/// RFC 4180 CSV, with formula-like cells neutralized (see `CSVText`).
public func renderCSV(header: [String], rows: [[String]]) -> String {
    CSVText.document(header: header, rows: rows)
}

/// JSON with stable key order, for machines.
public func renderJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

public func fixed(_ value: Double?, digits: Int = 3) -> String {
    guard let value else { return "" }
    return String(format: "%.\(digits)f", value)
}

/// An ISO 8601 time given to an option (no offset = `zone`), or a usage error naming the option.
public func optionTime(_ text: String?, _ name: String, zone: TimeZone) throws -> Date? {
    guard let text else { return nil }
    guard let date = Timestamp.parse(text, defaultZone: zone) else {
        throw ValidationError("\(name) '\(text)' is not an ISO 8601 time (e.g. 2024-07-10T15:30:00+07:00)")
    }
    return date
}
