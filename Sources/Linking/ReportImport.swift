import Catalog
import Foundation

/// Turns import rows into incidents and tips, checking every field. All problems are collected, one
/// line each, so a file can be fixed in one go; a file with any problem imports nothing.
public struct ReportImport: Sendable {
    /// The zone of times written without an offset.
    public var timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    public static let incidentColumns = [
        "reference", "category", "reported_at", "occurred_from", "occurred_to", "occurred_at", "uncertainty_min", "address",
        "ward", "street", "latitude", "longitude", "radius_m", "description", "status", "case_number",
    ]
    public static let tipColumns = [
        "id", "received_at", "channel", "occurred_from", "occurred_to", "occurred_at", "uncertainty_min", "location",
        "latitude", "longitude", "radius_m", "description", "reliability", "incident", "reporter_contact",
    ]
    /// The longest reported time window accepted.
    public static let longestWindowSeconds: Double = 7 * 86400

    public func incidents(_ rows: [ImportRow], file: String) throws(ImportProblems) -> [Incident] {
        try check(rows, file: file, columns: Self.incidentColumns, key: "reference") { (row) throws(LinkingError) -> Incident in
            let status = try row.choice("status", IncidentStatus.allCases.map(\.rawValue)).flatMap(IncidentStatus.init(rawValue:))
            return Incident(
                reference: try row.required("reference"), category: try row.required("category"),
                reportedAt: try row.time("reported_at", zone: timeZone), time: try time(row),
                place: try place(row, textColumn: "address", ward: row.text("ward"), street: row.text("street")),
                description: row.text("description") ?? "", status: status ?? .open, caseNumber: row.text("case_number"))
        }
    }

    public func tips(_ rows: [ImportRow], file: String) throws(ImportProblems) -> [Tip] {
        try check(rows, file: file, columns: Self.tipColumns, key: "id") { (row) throws(LinkingError) -> Tip in
            let channel = try row.required("channel").lowercased().replacingOccurrences(of: " ", with: "_")
            guard Tip.channels.contains(channel) else {
                throw row.problem("channel", "'\(row.text("channel") ?? "")' is not one of \(Tip.channels.joined(separator: ", "))")
            }
            let reliability = try row.choice("reliability", TipReliability.allCases.map(\.rawValue)).flatMap(TipReliability.init(rawValue:))
            return Tip(
                reference: try row.required("id"), receivedAt: try row.time("received_at", zone: timeZone), channel: channel,
                time: try time(row), place: try place(row, textColumn: "location", ward: nil, street: nil),
                description: row.text("description") ?? "", reliability: reliability ?? .unrated,
                incidentReference: row.text("incident"), reporterContact: row.text("reporter_contact"))
        }
    }

    // MARK: - Fields

    private func time(_ row: Checked) throws(LinkingError) -> ReportedTime {
        let from = try row.time("occurred_from", zone: timeZone), to = try row.time("occurred_to", zone: timeZone)
        let at = try row.time("occurred_at", zone: timeZone)
        let uncertainty = try row.number("uncertainty_min", in: 0...(7 * 24 * 60))
        if let at {
            guard from == nil, to == nil else {
                throw row.problem("occurred_at", "give occurred_at (with uncertainty_min) or occurred_from and occurred_to, not both")
            }
            return ReportedTime(around: at, uncertaintySeconds: (uncertainty ?? 0) * 60)
        }
        guard let from, let to else {
            throw row.problem(from == nil ? "occurred_from" : "occurred_to",
                              "is required: give occurred_from and occurred_to, or occurred_at with uncertainty_min")
        }
        if uncertainty != nil { throw row.problem("uncertainty_min", "goes with occurred_at, not with occurred_from/occurred_to") }
        guard to >= from else { throw row.problem("occurred_to", "is before occurred_from") }
        guard to.timeIntervalSince(from) <= Self.longestWindowSeconds else {
            throw row.problem("occurred_to", "makes a window longer than 7 days; split the report or narrow it")
        }
        return ReportedTime(from: from, to: to)
    }

    private func place(_ row: Checked, textColumn: String, ward: String?, street: String?) throws(LinkingError) -> ReportedPlace {
        let latitude = try row.number("latitude", in: -90...90), longitude = try row.number("longitude", in: -180...180)
        guard (latitude == nil) == (longitude == nil) else {
            throw row.problem(latitude == nil ? "latitude" : "longitude", "give latitude and longitude together")
        }
        let radius = try row.number("radius_m", in: 0...50_000)
        let point = latitude.flatMap { latitude in longitude.map { GeoPoint(latitude: latitude, longitude: $0) } }
        if radius != nil, point == nil { throw row.problem("radius_m", "goes with latitude and longitude") }
        let place = ReportedPlace(text: row.text(textColumn), ward: ward, street: street, point: point, uncertaintyMetres: radius)
        guard place.text != nil || place.ward != nil || place.street != nil || point != nil else {
            let columns = [textColumn] + (street == nil && textColumn == "address" ? ["ward", "street"] : []) + ["latitude/longitude"]
            throw row.problem(textColumn, "a place is required: give \(columns.joined(separator: ", "))")
        }
        return place
    }

    // MARK: - Rows

    /// Runs `make` on every row, collecting problems (unknown columns, duplicate keys, bad values).
    private func check<T>(_ rows: [ImportRow], file: String, columns: [String], key: String,
                          make: (Checked) throws(LinkingError) -> T) throws(ImportProblems) -> [T] {
        var problems: [LinkingError] = []
        var made: [T] = []
        var seen: [String: Int] = [:]
        for row in rows {
            let checked = Checked(row: row, file: file)
            if let unknown = row.fields.keys.sorted().first(where: { !columns.contains($0) }) {
                problems.append(checked.problem(unknown, "is not a column (use \(columns.joined(separator: ", ")))"))
                continue
            }
            do throws(LinkingError) {
                let value = try make(checked)
                if let id = row.fields[key] {
                    if let first = seen[id] {
                        throw checked.problem(key, "'\(id)' appears again (first at line \(first)); a file names each report once")
                    }
                    seen[id] = row.line
                }
                made.append(value)
            } catch {
                problems.append(error)
            }
        }
        if !problems.isEmpty { throw ImportProblems(problems) }
        return made
    }
}

/// One row being checked; its problems name the file, line, row and field.
struct Checked {
    var row: ImportRow
    var file: String

    func problem(_ field: String, _ message: String) -> LinkingError {
        LinkingError(.invalid, file: file, line: row.line > 0 ? row.line : nil, row: row.row, field: field, message: message)
    }

    func text(_ name: String) -> String? { row.fields[name] }

    func required(_ name: String) throws(LinkingError) -> String {
        guard let value = row.fields[name] else { throw problem(name, "is required") }
        return value
    }

    func time(_ name: String, zone: TimeZone) throws(LinkingError) -> Date? {
        guard let value = row.fields[name] else { return nil }
        guard let date = Timestamp.parse(value, defaultZone: zone) else {
            throw problem(name, "'\(value)' is not an ISO 8601 time (e.g. 2024-07-10 15:30 or 2024-07-10T08:30:00Z)")
        }
        return date
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws(LinkingError) -> Double? {
        guard let value = row.fields[name] else { return nil }
        guard let number = Double(value), number.isFinite else { throw problem(name, "'\(value)' is not a number") }
        guard range.contains(number) else {
            throw problem(name, "\(value) is out of range (\(String(format: "%g", range.lowerBound)) to \(String(format: "%g", range.upperBound)))")
        }
        return number
    }

    func choice(_ name: String, _ allowed: [String]) throws(LinkingError) -> String? {
        guard let value = row.fields[name] else { return nil }
        let normal = value.lowercased().replacingOccurrences(of: " ", with: "_")
        guard allowed.contains(normal) else { throw problem(name, "'\(value)' is not one of \(allowed.joined(separator: ", "))") }
        return normal
    }
}
