import Foundation

/// How values lie in a store's rows, the same on every backend, so that a row copied from one store to
/// another keeps its meaning and every store reads it back alike.
public enum StoredRow {
    /// Picture problems as one text column: "; "-separated, empty when healthy.
    public static func healthText(_ problems: [String]) -> String { problems.joined(separator: "; ") }

    /// The problems of a `healthText` column (none for an empty or missing one).
    public static func health(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.components(separatedBy: "; ")
    }

    /// The event columns in the order stores read an event by position, each prefixed with `table` ("e." in a join).
    public static func eventColumns(_ table: String = "") -> String {
        eventColumnNames.map { table + $0 }.joined(separator: ", ")
    }

    static let eventColumnNames = ["id", "camera_id", "recording_id", "start_ms", "end_ms", "offset_s", "clip_start_ms",
                                   "clip_end_ms", "peak_ms", "peak_score", "mean_score", "area", "bbox_x", "bbox_y", "bbox_w",
                                   "bbox_h", "still", "source_stream", "detected_recording_id"]
}
