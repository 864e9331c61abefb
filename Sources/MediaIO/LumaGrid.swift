/// A frame's brightness reduced to a grid of cell means: what motion detection reads.
///
/// One cell averages `cellSize`×`cellSize` source pixels (a sampled subset of its rows), so sensor
/// noise shrinks by averaging and the grid is small enough (about 160 cells wide) to compare fast.
public struct LumaGrid: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    /// Source pixels per cell side.
    public var cellSize: Int
    /// Mean luma of each cell, 0...255, row-major.
    public var values: [Float]

    public init(columns: Int, rows: Int, cellSize: Int, values: [Float]) {
        precondition(values.count == columns * rows, "grid values must fill columns × rows")
        self.columns = columns
        self.rows = rows
        self.cellSize = cellSize
        self.values = values
    }

    /// The cell size that gives a grid about `targetColumns` wide for a frame `width` pixels wide.
    public static func cellSize(forWidth width: Int, targetColumns: Int = 160) -> Int {
        max(2, Int((Double(width) / Double(targetColumns)).rounded()))
    }
}
