import Catalog
import Foundation
import PostgresNIO

// MARK: - Footprints and paths
//
// The same columns as the SQLite catalog's (migration "v11-footprint" there): the footprint as nine bigints
// (`EventFootprint.packed`, two 32-bit rows each), so that a region search is a few `&` tests beside the other
// conditions; the path as text; the net travel as two numbers that a direction search compares.

extension PostgresCatalog {
    static let footprintColumnCount = EventFootprint.rows / 2

    /// Migration 4 (the SQLite catalog's "v11-footprint"): the movement columns, NULL for older events.
    static let footprintColumnsStatement = "ALTER TABLE event "
        + ((0..<footprintColumnCount).map { "ADD COLUMN footprint_\($0) bigint" }
           + ["ADD COLUMN path text", "ADD COLUMN travel_dx double precision", "ADD COLUMN travel_dy double precision"])
        .joined(separator: ", ")

    /// The movement columns `readMovement` reads, in its order, after the event's own columns.
    static let movementColumnNames = (0..<footprintColumnCount).map { "footprint_\($0)" } + ["path"]

    /// How many columns `eventColumns()` selects: what a query appends after them starts at this position.
    static let eventColumnCount = 19 + movementColumnNames.count

    /// Footprint and path from the columns at `first` on.
    static func readMovement(_ row: PostgresRandomAccessRow, from first: Int, into event: inout MotionEvent) throws {
        var packed: [Int64] = []
        for index in 0..<footprintColumnCount {
            guard let value = try row.get(first + index, as: Int64?.self) else { break }
            packed.append(value)
        }
        if packed.count == footprintColumnCount { event.footprint = EventFootprint(packed: packed) }
        if let path = try row.get(first + footprintColumnCount, as: String?.self) { event.path = TravelPoint.decode(path) }
    }

    /// What an event's movement columns hold: nil footprint words and path when unknown, and the net travel that
    /// direction searches compare (from the same path as the SQLite catalog computes it from).
    struct MovementValues {
        var footprint: [Int64?]
        var path: String?
        var travelX: Double?
        var travelY: Double?

        init(footprint: EventFootprint?, path: [TravelPoint]) {
            self.footprint = footprint.map { $0.packed.map { Optional($0) } }
                ?? [Int64?](repeating: nil, count: PostgresCatalog.footprintColumnCount)
            self.path = path.isEmpty ? nil : TravelPoint.encode(path)
            let travel = TravelDirection.travel(of: path)
            travelX = travel?.dx
            travelY = travel?.dy
        }
    }

    /// Sets an event's movement columns (its footprint, path and travel).
    func storeMovement(event id: Int64, _ values: MovementValues, on connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        var assignments: [String] = []
        for (index, word) in values.footprint.enumerated() {
            binds.append(word)
            assignments.append("footprint_\(index) = $\(binds.count)")
        }
        binds.append(values.path)
        assignments.append("path = $\(binds.count)")
        binds.append(values.travelX)
        assignments.append("travel_dx = $\(binds.count)")
        binds.append(values.travelY)
        assignments.append("travel_dy = $\(binds.count)")
        binds.append(id)
        try await execute(PostgresQuery(unsafeSQL: "UPDATE event SET " + assignments.joined(separator: ", ")
                                        + " WHERE id = $\(binds.count)", binds: binds), on: connection)
    }
}

extension PostgresCatalog.EventFilter {
    /// Conditions for a footprint that touches `region` and for a direction of travel: the same tests as the
    /// SQLite catalog's, so that both return the same pages. Binds are appended.
    static func movementConditions(table: String, region: EventFootprint?, direction: TravelDirection?,
                                   binds: inout PostgresBindings) -> [String] {
        var conditions: [String] = []
        if let region {
            var touches: [String] = []
            for (index, word) in region.packed.enumerated() where word != 0 {
                binds.append(word)
                touches.append("(\(table)footprint_\(index) & $\(binds.count)) <> 0")
            }
            // A region of no cells touches nothing.
            conditions.append(touches.isEmpty ? "false" : "(" + touches.joined(separator: " OR ") + ")")
        }
        if let direction {
            // Along one axis, at least the minimum travel, and more than (or, across, at least) the other axis:
            // `TravelDirection(dx:dy:)` in SQL.
            let least = TravelDirection.minimumTravel
            let dx = "\(table)travel_dx", dy = "\(table)travel_dy"
            let test: String
            switch direction {
            case .leftToRight: test = "\(dx) >= \(least) AND \(dx) >= abs(\(dy))"
            case .rightToLeft: test = "-\(dx) >= \(least) AND -\(dx) >= abs(\(dy))"
            case .topToBottom: test = "\(dy) >= \(least) AND \(dy) > abs(\(dx))"
            case .bottomToTop: test = "-\(dy) >= \(least) AND -\(dy) > abs(\(dx))"
            }
            conditions.append(test)
        }
        return conditions
    }
}
