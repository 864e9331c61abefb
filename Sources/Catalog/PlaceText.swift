import Foundation

/// Matching of Vietnamese place names the way people type them: without diacritics or case, and
/// by word prefixes ("nguyen trai", "Nguyễn Trãi", "ng trai" all find "số 12 Nguyễn Trãi").
public enum PlaceText {
    /// Lower case, no diacritics, đ → d, single spaces, dashes as spaces.
    public static func fold(_ text: String) -> String {
        let plain = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return words(plain).joined(separator: " ")
    }

    /// Whether every word of `query` is the prefix of some word of `text` (after folding).
    public static func matches(query: String, in text: String) -> Bool {
        let wanted = words(fold(query))
        guard !wanted.isEmpty else { return false }
        let available = words(fold(text))
        return wanted.allSatisfy { word in available.contains { $0.hasPrefix(word) } }
    }

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}

/// A WGS 84 position.
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in metres (haversine; well within a metre at ward scale).
    public func distance(to other: GeoPoint) -> Double {
        let radius = 6_371_008.8
        let φ1 = latitude * .pi / 180, φ2 = other.latitude * .pi / 180
        let dφ = φ2 - φ1, dλ = (other.longitude - longitude) * .pi / 180
        let a = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
        return 2 * radius * asin(min(1, a.squareRoot()))
    }

    /// Compass direction from this point to another ("N", "NE", …).
    public func bearing(to other: GeoPoint) -> String {
        let φ1 = latitude * .pi / 180, φ2 = other.latitude * .pi / 180
        let dλ = (other.longitude - longitude) * .pi / 180
        let θ = atan2(sin(dλ) * cos(φ2), cos(φ1) * sin(φ2) - sin(φ1) * cos(φ2) * cos(dλ)) * 180 / .pi
        let names = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
        return names[Int(((θ + 360).truncatingRemainder(dividingBy: 360) + 22.5) / 45) % 8]
    }
}
