import Catalog
import Foundation
import Testing

/// Issue 15: numbers from outside are range-checked, conversions cannot trap, and CSV cells never run.
@Suite("Hardening: numbers and CSV cells")
struct HardeningTests {
    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test("search numbers out of range are errors naming the field", arguments: [
        ("min_duration", 1e16), ("min_duration", -1), ("min_duration", .infinity), ("min_duration", .nan),
        ("min_score", 1e300), ("min_score", -.infinity), ("min_area", 2), ("min_area", -0.1), ("min_area", .nan),
        ("radius", 1e300), ("radius", .nan), ("radius", .infinity),
    ] as [(String, Double)])
    func searchNumbers(field: String, value: Double) {
        var parameters = SearchParameters()
        switch field {
        case "min_duration": parameters.minDuration = value
        case "min_score": parameters.minScore = value
        case "min_area": parameters.minArea = value
        default: parameters.radius = value; parameters.near = "10.7,106.7"
        }
        #expect(throws: SearchParameterError.self) { try parameters.query(zone: Self.zone, now: Date()) }
        do { _ = try parameters.query(zone: Self.zone, now: Date()) } catch let error as SearchParameterError {
            #expect(error.field == field)
        } catch { Issue.record("\(error)") }
    }

    @Test("a box outside the globe is an error naming bbox", arguments: ["-1e300,0,1e300,1", "0,-200,1,1", "nan,0,1,1", "0,0,inf,1"])
    func boxes(text: String) {
        var parameters = SearchParameters()
        parameters.bbox = text
        #expect(throws: SearchParameterError("bbox", "'\(text)' is not south,west,north,east in degrees")) {
            try parameters.query(zone: Self.zone, now: Date())
        }
    }

    @Test("numbers inside the ranges still pass")
    func validNumbers() throws {
        var parameters = SearchParameters()
        parameters.minDuration = 86_400
        parameters.minScore = 0
        parameters.minArea = 1
        parameters.near = "10.7,106.7"
        parameters.radius = 20_000_000
        let query = try parameters.query(zone: Self.zone, now: Date())
        #expect(query.minimumDurationSeconds == 86_400 && query.radiusMetres == 20_000_000)
    }

    @Test("saturating conversions never trap", arguments: [
        (1e16, 9_223_372_036_854_775_807), (-1e300, -9_223_372_036_854_775_808), (Double.infinity, .max), (-Double.infinity, .min),
        (Double.nan, 0), (12.5, 12_500), (-0.0004, 0),
    ] as [(Double, Int64)])
    func saturating(seconds: Double, millis: Int64) {
        #expect(Int64(millisecondsOf: seconds) == millis)
    }

    @Test("far dates format without trapping")
    func farDates() {
        #expect(!Timestamp.format(Date(timeIntervalSince1970: 1e300)).isEmpty)
        #expect(!Timestamp.format(Date(timeIntervalSince1970: -.infinity), in: Self.zone).isEmpty)
        #expect(!Timestamp.format(Date(timeIntervalSince1970: .nan)).isEmpty)
    }

    @Test("CSV cells that a spreadsheet would run as formulas are neutralized", arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+84 912 000 000 call", "'+84 912 000 000 call"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"), ("＝1+1", "'＝1+1"),
        ("-12.5", "-12.5"), ("+84", "+84"), ("106.7", "106.7"), ("Nguyễn Trãi, số 12", "\"Nguyễn Trãi, số 12\""), ("", ""),
    ])
    func csvCells(text: String, written: String) {
        #expect(CSVText.cell(text) == written)
    }
}
