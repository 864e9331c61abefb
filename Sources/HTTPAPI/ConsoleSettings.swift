import Foundation

/// What the web console needs beyond the API: map tiles and where each camera looks.
public struct ConsoleSettings: Sendable {
    /// A ward tile server ("https://tiles.ward.example/{z}/{x}/{y}.png"); nil = the map is drawn
    /// from camera coordinates alone and the page asks nothing of any other server.
    public var tileURL: String?
    /// Where each camera looks, in degrees clockwise from north, by camera id.
    public var viewDegrees: [String: Double] = [:]
    /// Recordings should arrive at least this often, by camera id (for the health board).
    public var expectedIntervalSeconds: [String: Double] = [:]

    public init(tileURL: String? = nil) {
        self.tileURL = tileURL
    }

    /// Degrees from a registry's view direction: "N", "NE", "SSW", … or a number of degrees.
    public static func degrees(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let value = Double(trimmed), value.isFinite { return value.truncatingRemainder(dividingBy: 360) }
        let points = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
        return points.firstIndex(of: trimmed).map { Double($0) * 22.5 }
    }
}
