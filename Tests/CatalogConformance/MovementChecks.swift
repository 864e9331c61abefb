import Catalog
import Foundation
import Testing

/// Footprints, paths, and the region and direction searches built on them (issue 12).
enum MovementChecks {
    /// An event at `from`…`to` s that moved through `region` along `path` ((x, y) once a second from its start).
    static func event(_ from: Double, _ to: Double, start: Date = Fixture.base, region: NormalizedBox?,
                      path: [(Double, Double)]) -> NewMotionEvent {
        var event = Fixture.event(from, to, start: start)
        event.footprint = region.map(EventFootprint.init(region:))
        event.path = path.enumerated().map { TravelPoint(seconds: Double($0.offset), x: $0.element.0, y: $0.element.1) }
        return event
    }

    /// CAM01: a gate at the left (x 0.1–0.2), a lane along the bottom; people cross both ways.
    static func fill(_ store: any CatalogStore) async throws -> [MotionEvent] {
        try await store.saveCameras(Fixture.cameras)
        let gate = NormalizedBox(x: 0.1, y: 0.3, width: 0.1, height: 0.4)
        let lane = NormalizedBox(x: 0, y: 0.8, width: 1, height: 0.15)
        let events = [
            event(10, 20, region: gate, path: [(0.12, 0.35), (0.15, 0.5), (0.18, 0.68)]),          // 0: through the gate, down
            event(40, 50, region: lane, path: [(0.05, 0.85), (0.5, 0.86), (0.95, 0.88)]),          // 1: lane, left to right
            event(70, 80, region: lane, path: [(0.9, 0.9), (0.45, 0.88), (0.1, 0.87)]),            // 2: lane, right to left
            event(100, 110, region: gate, path: [(0.15, 0.6), (0.15, 0.45), (0.14, 0.32)]),        // 3: through the gate, up
            event(130, 140, region: NormalizedBox(x: 0.5, y: 0.1, width: 0.05, height: 0.05),
                  path: [(0.51, 0.11), (0.52, 0.12)]),                                              // 4: moved too little
            event(160, 170, region: nil, path: []),                                                 // 5: indexed before footprints
        ]
        let committed = try await store.commitIndexed(Fixture.recording("movement", duration: 300), events: events)
        _ = try await store.commitIndexed(Fixture.recording("other", camera: "CAM02", duration: 300),
                                          events: [event(10, 20, region: gate, path: [(0.1, 0.5), (0.9, 0.5)])])
        return committed.events
    }

    /// Offsets (s) of the hits of a CAM01 search.
    static func offsets(_ store: any CatalogStore, camera: String? = "CAM01", _ configure: (inout SearchQuery) -> Void) async throws
        -> [Double]
    {
        var query = SearchQuery()
        if let camera { query.cameras = [camera] }
        configure(&query)
        return try await store.search(query).hits.map(\.event.offsetSeconds)
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("movement: footprints and paths are stored and read back; an event without them reads back none") { store in
            let committed = try await fill(store)
            #expect(committed.count == 6)
            let gate = EventFootprint(region: NormalizedBox(x: 0.1, y: 0.3, width: 0.1, height: 0.4))
            #expect(committed[0].footprint == gate && !gate.isEmpty)
            #expect(committed[1].path.map(\.x) == [0.05, 0.5, 0.95] && committed[1].path.map(\.seconds) == [0, 1, 2])
            for stored in committed {
                let read = try #require(try await store.event(id: stored.id))
                #expect(read.footprint == stored.footprint, "event \(stored.offsetSeconds)")
                #expect(read.path == stored.path, "event \(stored.offsetSeconds)")
            }
            #expect(try await store.events(matching: EventQuery(camera: "CAM01")) == committed)
            let last = try #require(try await store.event(id: committed[5].id))
            #expect(last.footprint == nil && last.path.isEmpty && last.direction == nil)
            #expect(committed.map(\.direction) == [.topToBottom, .leftToRight, .rightToLeft, .bottomToTop, nil, nil])
            // Search hits carry them too.
            var query = SearchQuery()
            query.cameras = ["CAM01"]
            #expect(try await store.search(query).hits.map(\.event) == committed)
        },
        ConformanceCheck("movement: a region returns the events whose footprint touches it; a region nobody crossed returns none") { store in
            _ = try await fill(store)
            // Around the gate, at its edge, through the lane, and where nothing moved.
            #expect(try await offsets(store) { $0.region = NormalizedBox(x: 0.12, y: 0.4, width: 0.05, height: 0.05) } == [10, 100])
            #expect(try await offsets(store) { $0.region = NormalizedBox(x: 0.19, y: 0.69, width: 0.01, height: 0.01) } == [10, 100])
            #expect(try await offsets(store) { $0.region = NormalizedBox(x: 0.4, y: 0.9, width: 0.2, height: 0.05) } == [40, 70])
            #expect(try await offsets(store) { $0.region = NormalizedBox(x: 0.7, y: 0.1, width: 0.2, height: 0.3) }.isEmpty)
            // The region is a part of each camera's picture: without a camera, CAM02's gate crossing comes too.
            #expect(try await offsets(store, camera: nil) { $0.region = NormalizedBox(x: 0.1, y: 0.4, width: 0.05, height: 0.05) }
                    == [10, 10, 100])
            // With the other filters, and page by page.
            #expect(try await offsets(store) {
                $0.region = NormalizedBox(x: 0.1, y: 0.3, width: 0.1, height: 0.6); $0.from = Fixture.base.addingTimeInterval(30)
            } == [40, 70, 100])
            var query = SearchQuery()
            query.cameras = ["CAM01"]
            query.region = NormalizedBox(x: 0, y: 0.3, width: 1, height: 0.7)
            query.limit = 2
            var seen: [Double] = []
            while true {
                let page = try await store.search(query)
                seen += page.hits.map(\.event.offsetSeconds)
                guard let next = page.nextCursor, seen.count < 10 else { break }
                query.cursor = next
            }
            #expect(seen == [10, 40, 70, 100])
        },
        ConformanceCheck("movement: the direction filter separates the two ways across; too little travel has no direction") { store in
            _ = try await fill(store)
            #expect(try await offsets(store) { $0.direction = .leftToRight } == [40])
            #expect(try await offsets(store) { $0.direction = .rightToLeft } == [70])
            #expect(try await offsets(store) { $0.direction = .topToBottom } == [10])
            #expect(try await offsets(store) { $0.direction = .bottomToTop } == [100])
            let lane = NormalizedBox(x: 0, y: 0.8, width: 1, height: 0.15)
            #expect(try await offsets(store) { $0.region = lane; $0.direction = .rightToLeft } == [70])
            #expect(try await offsets(store) { $0.region = lane; $0.direction = .topToBottom }.isEmpty)
            #expect(try await offsets(store, camera: nil) { $0.direction = .leftToRight } == [10, 40])
        },
        ConformanceCheck("movement: an event merged across files keeps both footprints and both paths, in time order") { store in
            try await store.saveCameras(Fixture.cameras)
            let merge = CommitOptions(mergeGapSeconds: 2)
            let first = try await store.commitIndexed(
                Fixture.recording("a"), events: [event(57, 59.9, region: NormalizedBox(x: 0, y: 0, width: 0.1, height: 0.1),
                                                       path: [(0.05, 0.05), (0.3, 0.1), (0.6, 0.1)])], options: merge)
            let b = Fixture.base.addingTimeInterval(60)
            _ = try await store.commitIndexed(
                Fixture.recording("b", start: b), events: [event(0.1, 3, start: b, region: NormalizedBox(x: 0.9, y: 0.9, width: 0.1, height: 0.1),
                                                                 path: [(0.7, 0.1), (0.95, 0.12)])], options: merge)
            let merged = try #require(try await store.event(id: first.events[0].id))
            var both = EventFootprint(region: NormalizedBox(x: 0, y: 0, width: 0.1, height: 0.1))
            both.formUnion(EventFootprint(region: NormalizedBox(x: 0.9, y: 0.9, width: 0.1, height: 0.1)))
            #expect(merged.footprint == both)
            #expect(merged.path.map(\.x) == [0.05, 0.3, 0.6, 0.7, 0.95])
            #expect(merged.path.map(\.seconds) == [0, 1, 2, 3.1, 4.1])
            #expect(try await offsets(store) { $0.region = NormalizedBox(x: 0.92, y: 0.92, width: 0.02, height: 0.02) } == [57])
            #expect(try await offsets(store) { $0.direction = .leftToRight } == [57])
        },
    ]
}
