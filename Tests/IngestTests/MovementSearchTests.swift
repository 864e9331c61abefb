import Catalog
import CatalogSQLite
import Foundation
import Ingest
import TestSupport
import Testing

/// Region and direction searches over a real indexed recording (crossings_720p.mp4: people on the
/// far sidewalk both ways, cars on the road both ways, one person on the near sidewalk).
@Suite("Searching by where and which way things moved", .serialized)
struct MovementSearchTests {
    static let name = "crossings_720p.mp4"

    /// Seconds from the recording's start of each event a search returns.
    func search(_ catalog: SQLiteCatalog, recordingStart: Date, _ configure: (inout SearchParameters) -> Void) async throws
        -> [(Double, Double)]
    {
        var parameters = SearchParameters()
        parameters.cameras = ["CAM01"]
        configure(&parameters)
        let page = try await catalog.search(try parameters.query(zone: TimeZone(identifier: "UTC")!, now: Date()))
        return page.hits.map {
            ($0.event.start.timeIntervalSince(recordingStart), $0.event.end.timeIntervalSince(recordingStart))
        }
    }

    /// The truth objects that `found` overlaps, each once.
    func objects(_ found: [(Double, Double)], among truth: [SampleRecordings.Truth.Object]) -> [Int] {
        found.map { event in truth.firstIndex { event.0 < $0.t[1] && event.1 > $0.t[0] } ?? -1 }
    }

    @Test("a region around the far sidewalk returns only the people who walked it; an empty region returns none; directions split")
    func regionAndDirection() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let truth = try #require(SampleRecordings.truth[Self.name]?.objects)
        let (catalog, outcome) = try await indexFresh(SampleRecordings.url(Self.name).path, folder: folder)
        guard case let .indexed(recording, events, _) = outcome else {
            Issue.record("not indexed")
            return
        }
        #expect(events.count == truth.count, "events: \(events.map { $0.start.timeIntervalSince(recording.start) })")
        #expect(events.allSatisfy { $0.footprint.map { !$0.isEmpty } == true }, "every event has a footprint")

        // The far sidewalk (people's bodies span y 0.41–0.575); cars start below 0.58.
        let lane = try await search(catalog, recordingStart: recording.start) { $0.region = "0.30,0.45,0.40,0.10" }
        let laneObjects = objects(lane, among: truth)
        let walkers = truth.indices.filter { truth[$0].kind == "person" && abs((truth[$0].y ?? 0) - 0.575) < 0.01 }
        #expect(laneObjects.sorted() == walkers, "lane events \(lane) matched objects \(laneObjects)")

        let nobody = try await search(catalog, recordingStart: recording.start) { $0.region = "0.86,0.06,0.10,0.10" }
        #expect(nobody.isEmpty, "a region nobody crossed returned \(nobody)")
        let everything = try await search(catalog, recordingStart: recording.start) { $0.region = "0,0,1,1" }
        #expect(everything.count == events.count)

        for (direction, code) in [("left-to-right", "ltr"), ("right-to-left", "rtl")] {
            let found = objects(try await search(catalog, recordingStart: recording.start) { $0.direction = direction }, among: truth)
            #expect(found.sorted() == truth.indices.filter { truth[$0].dir == code }, "\(direction): \(found)")
        }
        // A camera looking north sees eastbound traffic go left to right.
        let east = try await search(catalog, recordingStart: recording.start) {
            $0.direction = "E"
            $0.cameraViews = ["CAM01": "N"]
        }
        #expect(objects(east, among: truth).sorted() == truth.indices.filter { truth[$0].dir == "ltr" })
        // The lane and a direction together: the one person who walked it left to right.
        let both = try await search(catalog, recordingStart: recording.start) {
            $0.region = "0.30,0.45,0.40,0.10"
            $0.direction = "left-to-right"
        }
        #expect(objects(both, among: truth) == walkers.filter { truth[$0].dir == "ltr" })
    }
}
