import Catalog
import Foundation

/// How likely an event shows what a report describes: a number in 0…1 and a sentence for people.
///
/// score = 0.45·place + 0.40·time + 0.15·strength, where
/// - place = 1 − d / (R + u) for coordinates (d = metres from the reported point to the camera,
///   R = the linking radius, u = the place's own uncertainty); for text, by how precisely it named
///   the camera: 1 for an address or intersection, 0.7 for a street, 0.4 for a ward;
/// - time = exp(−|gap| / τ), gap = seconds from the reported time to the event (0 when the event
///   covers the reported instant, or touches the reported window), τ = max(60 s, the ± of an
///   approximate time, or half the window);
/// - strength = s / (s + 0.1), s = the event's peak motion score (0.1 is a person crossing the view).
public enum LinkScore {
    public static let placeWeight = 0.45
    public static let timeWeight = 0.40
    public static let strengthWeight = 0.15

    /// The place part for text matches, by precision.
    public static func place(_ precision: PlacePrecision) -> Double {
        switch precision {
        case .coordinates, .address, .intersection: 1
        case .street: 0.7
        case .ward: 0.4
        case .unresolved: 0
        }
    }

    /// The place part for coordinates.
    public static func place(distanceMetres: Double, reachMetres: Double) -> Double {
        max(0, 1 - distanceMetres / max(reachMetres, 1))
    }

    public static func time(gapSeconds: Double, halfWidthSeconds: Double) -> Double {
        exp(-abs(gapSeconds) / max(60, halfWidthSeconds))
    }

    public static func strength(peakScore: Double) -> Double {
        let s = max(0, peakScore)
        return s / (s + 0.1)
    }

    public static func combined(place: Double, time: Double, strength: Double) -> Double {
        ((placeWeight * place + timeWeight * time + strengthWeight * strength) * 1000).rounded() / 1000
    }

    /// "camera CAM07, 120 m north, event 4 min after the reported time".
    public static func reason(camera: String, precision: PlacePrecision, distanceMetres: Double?, bearing: String?,
                              gapSeconds: Double, approximate: Bool) -> String {
        var place: String
        switch precision {
        case .coordinates:
            if let distanceMetres, distanceMetres >= 10 {
                place = "\(Int(saturating: distanceMetres)) m" + (bearing.map { " \(compassWord($0))" } ?? "")
            } else {
                place = "at the reported point"
            }
        case .address: place = "at the named address"
        case .intersection: place = "at the named intersection"
        case .street: place = "on the named street"
        case .ward: place = "in the named ward"
        case .unresolved: place = "place unknown"
        }
        let reference = approximate ? "the reported time" : "the reported window"
        let time: String
        if gapSeconds == 0 {
            time = approximate ? "event spans the reported time" : "event inside the reported window"
        } else if gapSeconds > 0 {
            time = "event \(duration(gapSeconds)) after \(reference)"
        } else {
            time = "event ends \(duration(-gapSeconds)) before \(reference)"
        }
        return "camera \(camera), \(place), \(time)"
    }

    /// "45 s", "4 min", "1.5 h".
    public static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<90: "\(Int(saturating: seconds)) s"
        case ..<5400: "\(Int(saturating: seconds / 60)) min"
        default: String(format: "%.1f h", seconds / 3600)
        }
    }

    static func compassWord(_ point: String) -> String {
        ["N": "north", "NE": "north-east", "E": "east", "SE": "south-east", "S": "south", "SW": "south-west", "W": "west",
         "NW": "north-west"][point] ?? point
    }
}
