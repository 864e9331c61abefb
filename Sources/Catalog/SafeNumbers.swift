import Foundation

/// Conversions of floating-point numbers to integers that cannot trap.
///
/// `Int64(x)` traps on NaN, infinities and anything beyond ±9.2e18, and a trap kills the whole
/// server process. Input is range-checked where it enters (a 400, a usage error, a config problem);
/// these conversions are the second line, for values computed from stored or derived numbers.
extension Int64 {
    /// `value` rounded (by `rule`), clamped to `Int64`'s range; NaN becomes 0.
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        guard !value.isNaN else { self = 0; return }
        let rounded = value.rounded(rule)
        // 2^63 is exactly representable; anything at or above it (or below -2^63) saturates.
        if rounded >= 9_223_372_036_854_775_808.0 { self = .max; return }
        if rounded < -9_223_372_036_854_775_808.0 { self = .min; return }
        self = Int64(rounded)
    }

    /// Whole milliseconds of `seconds`, saturating (see `init(saturating:)`).
    public init(millisecondsOf seconds: Double) {
        self.init(saturating: seconds * 1000)
    }

    /// Milliseconds since 1970 of `date`, saturating.
    public init(millisecondsSince1970 date: Date) {
        self.init(millisecondsOf: date.timeIntervalSince1970)
    }
}

extension Int {
    /// `value` rounded (by `rule`), clamped to `Int`'s range; NaN becomes 0.
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        self = Int(Int64(saturating: value, rounding: rule))
    }
}

/// A number that came from outside, checked against the range the field allows.
public enum NumberRange {
    /// The message for a value outside `range`: "must be from 0 to 86400 (got 1e+16)".
    public static func problem(_ value: Double, in range: ClosedRange<Double>) -> String? {
        guard value.isFinite else { return "must be a finite number from \(text(range.lowerBound)) to \(text(range.upperBound))" }
        guard range.contains(value) else {
            return "must be from \(text(range.lowerBound)) to \(text(range.upperBound)) (got \(text(value)))"
        }
        return nil
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
