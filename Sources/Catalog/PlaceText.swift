import Foundation
import Synchronization

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
        matches(words: foldedWords(query), in: text)
    }

    /// The same, with the query already split into folded words (fold it once per search).
    public static func matches(words wanted: [String], in text: String) -> Bool {
        guard !wanted.isEmpty else { return false }
        let available = foldedWords(text)
        return wanted.allSatisfy { word in available.contains { $0.hasPrefix(word) } }
    }

    /// Folded words of a text. Folding is slow (Unicode decomposition), and the same camera names
    /// are matched on every search, so results are kept (bounded; cleared when full).
    public static func foldedWords(_ text: String) -> [String] {
        if let known = cache.withLock({ $0[text] }) { return known }
        let result = words(fold(text))
        cache.withLock { table in
            if table.count >= 50_000 { table.removeAll() }
            table[text] = result
        }
        return result
    }

    private static let cache = Mutex<[String: [String]]>([:])

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
        return names[Int(saturating: ((θ + 360).truncatingRemainder(dividingBy: 360) + 22.5) / 45, rounding: .towardZero) % 8]
    }
}
