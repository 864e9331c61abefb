import Catalog
import Foundation
import GRDB

// MARK: - Footprints and paths

/// Each event's footprint is nine integer columns (`EventFootprint.packed`: two 32-bit rows each),
/// so a region search is a few `&` tests in SQL beside the other conditions; its path is text, and
/// its net travel two numbers that a direction search compares.
extension SQLiteCatalog {
    static let footprintColumnCount = EventFootprint.rows / 2

    static func addFootprintColumns(_ db: Database) throws {
        for index in 0..<footprintColumnCount {
            try db.execute(sql: "ALTER TABLE event ADD COLUMN footprint_\(index) INTEGER")
        }
        try db.execute(sql: """
            ALTER TABLE event ADD COLUMN path TEXT;
            ALTER TABLE event ADD COLUMN travel_dx REAL;
            ALTER TABLE event ADD COLUMN travel_dy REAL;
            """)
    }

    /// The movement columns in the order `readMovement` reads them.
    static func movementColumns(_ table: String = "") -> String {
        ((0..<footprintColumnCount).map { "footprint_\($0)" } + ["path"]).map { table + $0 }.joined(separator: ", ")
    }

    static func readMovement(_ row: Row, from first: Int, into event: inout MotionEvent) {
        var packed: [Int64] = []
        for index in 0..<footprintColumnCount {
            guard let value: Int64 = row[first + index] else { break }
            packed.append(value)
        }
        if packed.count == footprintColumnCount { event.footprint = EventFootprint(packed: packed) }
        if let path: String = row[first + footprintColumnCount] { event.path = TravelPoint.decode(path) }
    }

    static func storeMovement(_ db: Database, event id: Int64, footprint: EventFootprint?, path: [TravelPoint]) throws {
        let travel = TravelDirection.travel(of: path)
        var arguments: StatementArguments = []
        for value in footprint?.packed ?? [Int64](repeating: 0, count: footprintColumnCount) {
            arguments += [footprint == nil ? nil : value]
        }
        arguments += [path.isEmpty ? nil : TravelPoint.encode(path), travel?.dx, travel?.dy, id]
        let assignments = (0..<footprintColumnCount).map { "footprint_\($0) = ?" } + ["path = ?", "travel_dx = ?", "travel_dy = ?"]
        try db.execute(sql: "UPDATE event SET " + assignments.joined(separator: ", ") + " WHERE id = ?", arguments: arguments)
    }
}

extension SQLiteCatalog.EventFilter {
    /// SQL conditions for a footprint touching `region` and a direction of travel.
    static func movementConditions(table: String, region: EventFootprint?, direction: TravelDirection?)
        -> (clauses: [String], arguments: StatementArguments)
    {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let region {
            var tests: [String] = []
            for (index, word) in region.packed.enumerated() where word != 0 {
                tests.append("(\(table)footprint_\(index) & ?) != 0")
                arguments += [word]
            }
            // An empty region touches nothing.
            clauses.append(tests.isEmpty ? "0" : "(" + tests.joined(separator: " OR ") + ")")
        }
        if let direction {
            let minimum = TravelDirection.minimumTravel
            switch direction {
            case .leftToRight: clauses.append("\(table)travel_dx >= \(minimum) AND \(table)travel_dx >= abs(\(table)travel_dy)")
            case .rightToLeft: clauses.append("\(table)travel_dx <= -\(minimum) AND -\(table)travel_dx >= abs(\(table)travel_dy)")
            case .topToBottom: clauses.append("\(table)travel_dy >= \(minimum) AND \(table)travel_dy > abs(\(table)travel_dx)")
            case .bottomToTop: clauses.append("\(table)travel_dy <= -\(minimum) AND -\(table)travel_dy > abs(\(table)travel_dx)")
            }
        }
        return (clauses, arguments)
    }
}
