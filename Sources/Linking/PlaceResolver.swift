import Catalog
import Foundation

/// Places reports give, matched offline against the camera registry's wards, streets, house numbers
/// and intersections, ignoring case and diacritics ("Nguyen Trai giao Le Loi" finds the camera at
/// "ngã tư Nguyễn Trãi – Lê Lợi").
///
/// Coordinates win when given: every camera within the radius (plus the place's own uncertainty).
/// Otherwise the most precise match wins: a house number or intersection a camera has, then every
/// camera on a named street, then every camera of a named ward. Text that matches nothing is
/// reported as unresolved, never guessed.
public struct PlaceResolver: Sendable {
    public let radiusMetres: Double
    private let cameras: [Entry]
    private let positions: [String: GeoPoint]

    struct Entry: Sendable {
        var camera: Camera
        var place: ParsedPlace?
        var ward: [String]
        var position: GeoPoint?
    }

    public init(cameras: [Camera], radiusMetres: Double) {
        self.radiusMetres = radiusMetres
        self.cameras = cameras.map { camera in
            Entry(camera: camera, place: (camera.street ?? camera.name).flatMap(ParsedPlace.init),
                  ward: camera.ward.map(Self.wardWords) ?? [],
                  position: camera.latitude.flatMap { latitude in camera.longitude.map { GeoPoint(latitude: latitude, longitude: $0) } })
        }
        positions = Dictionary(self.cameras.compactMap { entry in entry.position.map { (entry.camera.id, $0) } },
                               uniquingKeysWith: { first, _ in first })
    }

    /// Where a registered camera stands, if the registry says.
    public func position(of camera: String) -> GeoPoint? { positions[camera] }

    /// The cameras a reported place can involve.
    public func resolve(_ place: ReportedPlace) -> PlaceResolution {
        if let point = place.point {
            let reach = radiusMetres + (place.uncertaintyMetres ?? 0)
            let near = cameras.filter { $0.position.map { point.distance(to: $0) <= reach } ?? false }
            return PlaceResolution(precision: .coordinates, cameras: near.map(\.camera.id).sorted(), point: point)
        }
        // Comma-separated parts may name the ward ("số 12 Trần Phú, P. Hàng Trống"); the others are places.
        var wardHints: [[String]] = place.ward.map { [Self.wardWords($0)] } ?? []
        var texts: [String] = []
        for text in [place.street, place.text].compactMap({ $0 }) {
            for part in text.split(whereSeparator: { $0 == "," || $0 == ";" }).map(String.init) {
                // Only a part that says "phường …" is a ward: "Hàng Trống" alone is also a street.
                if Self.namesWard(part) {
                    wardHints.append(Self.wardWords(part))
                } else {
                    texts.append(part)
                }
            }
        }
        let inWard: [Entry] = {
            guard !wardHints.isEmpty else { return cameras }
            let matching = cameras.filter { entry in wardHints.contains { ParsedPlace.sameName($0, entry.ward) } }
            return matching.isEmpty ? cameras : matching
        }()
        var best: (PlacePrecision, [Entry])?
        for text in texts {
            guard let parsed = ParsedPlace(text) else { continue }
            if let found = Self.match(parsed, among: inWard), best.map({ Self.rank(found.0) < Self.rank($0.0) }) ?? true {
                best = found
            }
        }
        if let (precision, entries) = best {
            return resolution(precision, entries)
        }
        if !wardHints.isEmpty, texts.isEmpty {
            let ward = cameras.filter { entry in wardHints.contains { ParsedPlace.sameName($0, entry.ward) } }
            if !ward.isEmpty { return resolution(.ward, ward) }
        }
        let given = [place.street, place.text, place.ward].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        return PlaceResolution(precision: .unresolved, cameras: [], point: nil, unresolvedText: given.isEmpty ? "(no place given)" : given)
    }

    private func resolution(_ precision: PlacePrecision, _ entries: [Entry]) -> PlaceResolution {
        let positions = entries.compactMap(\.position)
        let point = positions.isEmpty ? nil : GeoPoint(
            latitude: positions.map(\.latitude).reduce(0, +) / Double(positions.count),
            longitude: positions.map(\.longitude).reduce(0, +) / Double(positions.count))
        return PlaceResolution(precision: precision, cameras: entries.map(\.camera.id).sorted(), point: point)
    }

    private static func rank(_ precision: PlacePrecision) -> Int {
        PlacePrecision.allCases.firstIndex(of: precision) ?? .max
    }

    /// The most precise match of one parsed place among the cameras, if any.
    private static func match(_ wanted: ParsedPlace, among entries: [Entry]) -> (PlacePrecision, [Entry])? {
        switch wanted.form {
        case let .intersection(streets):
            let exact = entries.filter { entry in
                guard case let .intersection(theirs)? = entry.place?.form else { return false }
                return streets.allSatisfy { street in theirs.contains { ParsedPlace.sameName(street, $0) } }
            }
            if !exact.isEmpty { return (.intersection, exact) }
            let onEither = entries.filter { entry in streets.contains { entry.place?.isOn($0) ?? false } }
            return onEither.isEmpty ? nil : (.street, onEither)
        case let .address(number, street):
            let exact = entries.filter { entry in
                guard case let .address(theirNumber, theirStreet)? = entry.place?.form else { return false }
                return theirNumber == number && ParsedPlace.sameName(street, theirStreet)
            }
            if !exact.isEmpty { return (.address, exact) }
            let onStreet = entries.filter { $0.place?.isOn(street) ?? false }
            return onStreet.isEmpty ? nil : (.street, onStreet)
        case let .street(street):
            // "ngã tư Nguyễn Trãi Lê Lợi", without a separator: try each place to cut the words in two.
            if wanted.announcedIntersection, street.count >= 2 {
                for cut in 1..<street.count {
                    let pair = ParsedPlace(form: .intersection([Array(street[..<cut]), Array(street[cut...])]))
                    if let found = match(pair, among: entries), found.0 == .intersection { return found }
                }
            }
            let onStreet = entries.filter { $0.place?.isOn(street) ?? false }
            if !onStreet.isEmpty { return (.street, onStreet) }
            let ward = entries.filter { ParsedPlace.sameName(street, $0.ward) }
            return ward.isEmpty ? nil : (.ward, ward)
        }
    }

    /// A ward's folded name words without the "phường"/"P." prefix.
    static func wardWords(_ text: String) -> [String] {
        var words = PlaceText.foldedWords(text)
        if let first = words.first, ["phuong", "p", "xa", "ward"].contains(first) { words.removeFirst() }
        return words
    }

    static func namesWard(_ text: String) -> Bool {
        guard let first = PlaceText.foldedWords(text).first else { return false }
        return ["phuong", "p", "xa", "ward", "quan", "q", "huyen", "district"].contains(first)
    }
}

/// A place text taken apart: an intersection of streets, a house number on a street, or a street.
/// Street names are folded words without "phố"/"đường".
struct ParsedPlace: Sendable, Equatable {
    enum Form: Sendable, Equatable {
        case intersection([[String]])
        case address(String, [String])
        case street([String])
    }

    var form: Form
    /// The text began with "ngã tư" (or the like), even if no separator split it.
    var announcedIntersection = false

    init(form: Form) {
        self.form = form
    }

    /// Separators of intersection parts, before folding (folding drops punctuation).
    private static let separators: Set<Character> = ["–", "—", "-", "/", "&", "+", "×"]
    /// Words that join two streets once folded: "giao", "x", "và", "với", "and".
    private static let joiners: Set<String> = ["giao", "x", "va", "voi", "and", "cat"]
    /// Leading words that announce an intersection or an address.
    private static let intersectionWords: [[String]] = [["nga", "tu"], ["nga", "ba"], ["nga", "nam"], ["nga", "sau"],
                                                        ["giao", "lo"], ["goc"]]
    private static let streetWords: Set<String> = ["pho", "duong", "street", "st"]
    private static let numberWords: Set<String> = ["so", "nha", "no"]

    init?(_ text: String) {
        var parts: [[String]] = []
        for piece in text.split(whereSeparator: { Self.separators.contains($0) }) {
            var current: [String] = []
            for word in PlaceText.foldedWords(String(piece)) {
                if Self.joiners.contains(word) {
                    if !current.isEmpty { parts.append(current) }
                    current = []
                } else {
                    current.append(word)
                }
            }
            if !current.isEmpty { parts.append(current) }
        }
        guard !parts.isEmpty else { return nil }
        var announcedIntersection = false
        for lead in Self.intersectionWords where parts[0].starts(with: lead) {
            parts[0].removeFirst(lead.count)
            announcedIntersection = true
            break
        }
        parts = parts.map(Self.streetName).filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        self.announcedIntersection = announcedIntersection
        if parts.count >= 2 {
            form = .intersection(parts)
            return
        }
        var words = parts[0]
        if !announcedIntersection {
            if let first = words.first, Self.numberWords.contains(first), words.count > 2 { words.removeFirst() }
            if let first = words.first, first.first?.isNumber == true, words.count > 1 {
                form = .address(first, Self.streetName(Array(words.dropFirst())))
                return
            }
        }
        form = .street(words)
    }

    /// Street words without a leading "phố"/"đường".
    static func streetName(_ words: [String]) -> [String] {
        var words = words
        while let first = words.first, streetWords.contains(first), words.count > 1 { words.removeFirst() }
        return words
    }

    /// The same name: as many words, each typed word the start of the registry's ("nguyen tr" is
    /// "nguyen trai"), so "Hàng" alone is not "Hàng Trống".
    static func sameName(_ typed: [String], _ known: [String]) -> Bool {
        !typed.isEmpty && typed.count == known.count && zip(typed, known).allSatisfy { $1.hasPrefix($0) }
    }

    /// Whether the place is on (or at a corner of) this street.
    func isOn(_ street: [String]) -> Bool {
        switch form {
        case let .intersection(streets): streets.contains { Self.sameName(street, $0) }
        case let .address(_, own), let .street(own): Self.sameName(street, own)
        }
    }
}
