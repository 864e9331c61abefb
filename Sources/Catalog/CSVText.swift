import Foundation

/// CSV as WardWatch writes it: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
///
/// Citizen text such as "=HYPERLINK(…)" or "@SUM(…)" would otherwise execute when an officer opens
/// the export in Excel or LibreOffice (CSV injection). Such cells get a leading apostrophe, the
/// convention spreadsheets show as text; plain numbers ("-12.5", "+84") are left as they are.
public enum CSVText {
    /// One cell, neutralized and quoted as needed.
    public static func cell(_ text: String) -> String {
        let safe = neutralized(text)
        return safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
    }

    /// `text` with a leading apostrophe when a spreadsheet would read it as a formula.
    public static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]
        guard triggers.contains(first) else { return text }
        if first == "-" || first == "+", Double(text) != nil, text.allSatisfy({ "+-.0123456789eE".contains($0) }) { return text }
        return "'" + text
    }

    /// A whole document: header, rows, CRLF line ends.
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
