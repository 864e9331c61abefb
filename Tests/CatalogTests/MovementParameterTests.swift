import Catalog
import Foundation
import Testing

@Suite("Region and direction parameters")
struct MovementParameterTests {
    func query(_ configure: (inout SearchParameters) -> Void) throws -> SearchQuery {
        var parameters = SearchParameters()
        configure(&parameters)
        return try parameters.query(zone: TimeZone(identifier: "UTC")!, now: Date())
    }

    @Test("a region is x,y,w,h inside the picture, on exactly one camera")
    func region() throws {
        let parsed = try query { $0.cameras = ["CAM01"]; $0.region = "0.25, 0.5, 0.5, 0.25" }
        #expect(parsed.region == NormalizedBox(x: 0.25, y: 0.5, width: 0.5, height: 0.25))
        for bad in ["0.5,0.5,0.6,0.1", "1,2,3", "a,b,c,d", "0.1,0.1,0,0.1", "-0.1,0,0.5,0.5"] {
            #expect(throws: SearchParameterError.self, "\(bad)") { try query { $0.cameras = ["CAM01"]; $0.region = bad } }
        }
        let error = #expect(throws: SearchParameterError.self) { try query { $0.region = "0,0,0.5,0.5" } }
        #expect(error?.field == "region")
    }

    @Test("directions by name, or by compass heading against the camera's view")
    func direction() throws {
        #expect(try query { $0.direction = "Right-To-Left" }.direction == .rightToLeft)
        let views = ["CAM01": "N", "CAM02": "SE", "CAM03": "270"]
        let cases: [(String, String, TravelDirection)] = [
            ("CAM01", "E", .leftToRight), ("CAM01", "W", .rightToLeft), ("CAM01", "N", .bottomToTop), ("CAM01", "S", .topToBottom),
            ("CAM02", "SW", .leftToRight), ("CAM02", "NW", .topToBottom), ("CAM03", "0", .leftToRight), ("CAM03", "ESE", .topToBottom),
        ]
        for (camera, heading, expected) in cases {
            let parsed = try query { $0.cameras = [camera]; $0.direction = heading; $0.cameraViews = views }
            #expect(parsed.direction == expected, "\(camera) \(heading)")
        }
        #expect(throws: SearchParameterError.self) { try query { $0.direction = "E" } }   // no camera view known
        #expect(throws: SearchParameterError.self) { try query { $0.direction = "sideways" } }
    }

    @Test("footprints: regions mark the cells they touch; packing for SQL round-trips")
    func footprint() {
        let region = EventFootprint(region: NormalizedBox(x: 0.5, y: 0.5, width: 0.1, height: 0.1))
        // Columns 16...19 (0.5*32 = 16, 0.6*32 = 19.2 → 19), rows 9...10 (0.5*18 = 9, 0.6*18 = 10.8 → 10).
        #expect(region.words[9] == 0b1111 << 16 && region.words[10] == 0b1111 << 16 && region.words[8] == 0 && region.words[11] == 0)
        #expect(EventFootprint(packed: region.packed) == region)
        var corner = EventFootprint(words: [])
        corner.formUnion(EventFootprint(region: NormalizedBox(x: 0.97, y: 0.95, width: 0.03, height: 0.05)))
        #expect(corner.words[17] == 1 << 31)
        #expect(EventFootprint(packed: corner.packed) == corner)
        #expect(!corner.touches(region) && corner.touches(corner))
        #expect(TravelDirection(dx: 0.3, dy: -0.1) == .leftToRight && TravelDirection(dx: 0.01, dy: 0.02) == nil)
    }
}
