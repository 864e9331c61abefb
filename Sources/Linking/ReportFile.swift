import Foundation

/// One record of an import file: its fields as text, and where it stands in the file.
public struct ImportRow: Sendable, Equatable {
    /// 1-based line where the record starts.
    public var line: Int
    /// 1-based data row.
    public var row: Int
    /// Column (or key) → value; empty values and JSON nulls are left out.
    public var fields: [String: String]

    public init(line: Int, row: Int, fields: [String: String]) {
        self.line = line
        self.row = row
        self.fields = fields
    }
}

/// Reads import files: CSV with a header line (RFC 4180: quotes, doubled quotes, line breaks in
/// quoted fields), or a JSON array of objects. Column names ignore case and surrounding spaces.
public enum ReportFile {
    public enum Format: String, Sendable {
        case csv, json
    }

    /// Reads a file; `.json` files (or text starting with `[`) are JSON, anything else CSV.
    public static func read(path: String) throws(LinkingError) -> [ImportRow] {
        // A FIFO or a device would block or never end: only regular files are read.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw LinkingError(.unreadable, file: path, message: "not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw LinkingError(.unreadable, file: path, message: exists ? "cannot read the file" : "file not found")
        }
        let text = try Self.text(of: data, file: path)
        let looksJSON = path.lowercased().hasSuffix(".json") || text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).first == "["
        return try parse(text, format: looksJSON ? .json : .csv, file: path)
    }

    public static func parse(_ text: String, format: Format, file: String) throws(LinkingError) -> [ImportRow] {
        switch format {
        case .csv: try csv(text, file: file)
        case .json: try json(text, file: file)
        }
    }

    // MARK: - CSV

    static func csv(_ text: String, file: String) throws(LinkingError) -> [ImportRow] {
        var records: [(line: Int, fields: [String])] = []
        var field = "", fields: [String] = []
        var quoted = false, afterQuote = false
        var line = 1, recordLine = 1
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty) {
                records.append((recordLine, fields))
            }
            field = ""
            fields = []
        }
        while let scalar = pending ?? characters.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.trimmingCharacters(in: .whitespaces).isEmpty && !afterQuote:
                field = ""
                quoted = true
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
                afterQuote = false
            case "\u{FEFF}" where line == 1 && fields.isEmpty && field.isEmpty:
                continue
            default:
                if afterQuote, !scalar.properties.isWhitespace {
                    throw LinkingError(.malformed, file: file, line: line, message: "text after a closing quote (write a quote inside a quoted field as \"\")")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw LinkingError(.malformed, file: file, line: recordLine, message: "a quoted field is never closed") }
        endRecord()
        guard let header = records.first else { throw LinkingError(.malformed, file: file, message: "the file is empty; it needs a header line") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let duplicate = names.enumerated().first(where: { names.firstIndex(of: $0.element) != $0.offset }) {
            throw LinkingError(.malformed, file: file, line: header.line, field: duplicate.element, message: "the column appears twice in the header")
        }
        return try records.dropFirst().enumerated().map { (index, record) throws(LinkingError) -> ImportRow in
            guard record.fields.count == names.count else {
                throw LinkingError(.malformed, file: file, line: record.line, row: index + 1,
                                   message: "has \(record.fields.count) fields; the header has \(names.count)")
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) {
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { values[name] = trimmed }
            }
            return ImportRow(line: record.line, row: index + 1, fields: values)
        }
    }

    // MARK: - JSON

    static func json(_ text: String, file: String) throws(LinkingError) -> [ImportRow] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw LinkingError(.malformed, file: file, message: "not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))")
        }
        guard let array = value as? [Any] else { throw LinkingError(.malformed, file: file, message: "must be a JSON array of objects") }
        let lines = elementLines(text)
        return try array.enumerated().map { (index, element) throws(LinkingError) -> ImportRow in
            let line = index < lines.count ? lines[index] : nil
            guard let object = element as? [String: Any] else {
                throw LinkingError(.malformed, file: file, line: line, row: index + 1, message: "must be an object")
            }
            var fields: [String: String] = [:]
            for (key, raw) in object {
                let name = key.trimmingCharacters(in: .whitespaces).lowercased()
                switch raw {
                case is NSNull: continue
                case let text as String:
                    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !trimmed.isEmpty { fields[name] = trimmed }
                // JSON true/false arrive as NSNumber too, typed "c" (char); numbers are "i", "q" or "d".
                case let number as NSNumber where String(cString: number.objCType) != "c":
                    fields[name] = number.stringValue
                default:
                    throw LinkingError(.invalid, file: file, line: line, row: index + 1, field: name, message: "must be text or a number")
                }
            }
            return ImportRow(line: line ?? 0, row: index + 1, fields: fields)
        }
    }

    /// The line where each element of the top-level array starts (a light scan that skips strings).
    static func elementLines(_ text: String) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false, expectingElement = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" { line += 1 }
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            if scalar.properties.isWhitespace { continue }
            if depth == 1, expectingElement, scalar != "]" {
                lines.append(line)
                expectingElement = false
            }
            switch scalar {
            case "\"": inString = true
            case "[", "{":
                depth += 1
                if depth == 1 { expectingElement = true }
            case "]", "}": depth -= 1
            case "," where depth == 1: expectingElement = true
            default: break
            }
        }
        return lines
    }
}
