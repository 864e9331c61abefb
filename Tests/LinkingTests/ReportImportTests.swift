import Catalog
import Foundation
import Linking
import Testing

@Suite("Import files: CSV and JSON, checked field by field")
struct ReportImportTests {
    let importer = ReportImport(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    @Test("CSV: quoted commas, doubled quotes and line breaks; local times; approximate times and windows")
    func csv() throws {
        let text = """
            reference,category,occurred_at,uncertainty_min,occurred_from,occurred_to,address,description
            INC-1,theft,2024-07-10 15:30,5,,,"ngã tư Lê Thái Tổ – Hàng Gai","Giật túi, ""xe máy"" bỏ chạy
            về phía Hàng Bông"
            INC-2,traffic,,,2024-07-10T08:00:00Z,2024-07-10T09:00:00Z,số 12 Hàng Trống,
            """
        let rows = try ReportFile.parse(text, format: .csv, file: "i.csv")
        #expect(rows.map(\.line) == [2, 4] && rows.map(\.row) == [1, 2])
        let incidents = try importer.incidents(rows, file: "i.csv")
        #expect(incidents[0].description == "Giật túi, \"xe máy\" bỏ chạy\nvề phía Hàng Bông")
        #expect(incidents[0].time.approximate == Timestamp.parse("2024-07-10T08:30:00Z"))
        #expect(incidents[0].time.start == Timestamp.parse("2024-07-10T08:25:00Z"))
        #expect(incidents[1].time.approximate == nil && incidents[1].time.halfWidthSeconds == 1800)
        #expect(incidents[1].place.text == "số 12 Hàng Trống" && incidents[1].status == .open)
    }

    @Test("every bad row is one line naming the file, line, row and field; nothing is returned")
    func problems() throws {
        let text = """
            reference,category,occurred_at,latitude,longitude,status
            INC-1,theft,2024-07-10 15:30,21.03,105.85,open
            INC-2,theft,yesterday,21.03,105.85,open
            INC-3,,2024-07-10 15:30,21.03,105.85,open
            INC-4,theft,2024-07-10 15:30,91,105.85,open
            INC-5,theft,2024-07-10 15:30,21.03,,open
            INC-1,theft,2024-07-10 15:30,21.03,105.85,closed
            INC-6,theft,2024-07-10 15:30,21.03,105.85,solved
            """
        let rows = try ReportFile.parse(text, format: .csv, file: "bad.csv")
        let error = try #require(throws: ImportProblems.self) { try importer.incidents(rows, file: "bad.csv") }
        #expect(error.problems.map(\.description) == [
            "bad.csv:3: row 2: occurred_at: 'yesterday' is not an ISO 8601 time (e.g. 2024-07-10 15:30 or 2024-07-10T08:30:00Z)",
            "bad.csv:4: row 3: category: is required",
            "bad.csv:5: row 4: latitude: 91 is out of range (-90 to 90)",
            "bad.csv:6: row 5: longitude: give latitude and longitude together",
            "bad.csv:7: row 6: reference: 'INC-1' appears again (first at line 2); a file names each report once",
            "bad.csv:8: row 7: status: 'solved' is not one of open, closed",
        ])
    }

    @Test("JSON: rows are array elements, with the line each starts on; unknown keys are errors")
    func json() throws {
        let text = """
            [
              {"id": "T-1", "channel": "zalo", "occurred_at": "2024-07-10 15:31", "location": "Le Thai To giao Hang Gai",
               "reporter_contact": "0912 345 678"},
              {"id": "T-2", "channel": "in person", "occurred_from": "2024-07-10 15:00", "occurred_to": "2024-07-10 16:00",
               "latitude": 21.0316, "longitude": 105.8516, "radius_m": 50},
              {"id": "T-3", "channel": "pigeon", "occurred_at": "2024-07-10 15:31", "location": "x", "colour": "red"}
            ]
            """
        let rows = try ReportFile.parse(text, format: .json, file: "t.json")
        #expect(rows.map(\.line) == [2, 4, 6])
        let error = try #require(throws: ImportProblems.self) { try importer.tips(rows, file: "t.json") }
        #expect(error.problems.map(\.description) == [
            "t.json:6: row 3: colour: is not a column (use \(ReportImport.tipColumns.joined(separator: ", ")))",
        ])
        let tips = try importer.tips(Array(rows.prefix(2)), file: "t.json")
        #expect(tips[0].reporterContact == "0912 345 678" && tips[0].channel == "zalo")
        #expect(tips[1].channel == "in_person" && tips[1].place.point == GeoPoint(latitude: 21.0316, longitude: 105.8516))
        #expect(tips[1].place.uncertaintyMetres == 50)
    }

    @Test("a file that is not CSV with a header, or not an array, is refused with its name")
    func malformed() {
        #expect(throws: LinkingError.self) { try ReportFile.parse("{\"id\": 1}", format: .json, file: "x.json") }
        #expect(throws: LinkingError.self) { try ReportFile.parse("a,b\n1,2,3\n", format: .csv, file: "x.csv") }
        #expect(throws: LinkingError.self) { try ReportFile.parse("a,b\n\"1,2\n", format: .csv, file: "x.csv") }
        #expect((try? ReportFile.read(path: "/nonexistent/x.csv")) == nil)
    }
}
