import Catalog
import Foundation
import Testing

/// `RecordingStore`: commits, idempotence, merging across files, lookups.
enum RecordingChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("recordings: a recording and its events commit together and read back exactly") { store in
            let result = try await store.commitIndexed(Fixture.recording("aaa"), events: [Fixture.event(4, 10), Fixture.event(22, 30.5)])
            #expect(result.inserted)
            #expect(result.events.count == 2)
            #expect(result.recording.fingerprint == "aaa" && result.recording.frameCount == 1500)
            let events = try await store.events(matching: EventQuery())
            #expect(events == result.events)
            #expect(events[1].end == Fixture.base.addingTimeInterval(30.5))
            #expect(events[0].boundingBox == NormalizedBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4))
            #expect(events[0].still == "x/1.jpg" && events[0].recordingID == result.recording.id)
            #expect(try await store.recording(fingerprint: "aaa") == result.recording)
            #expect(try await store.recording(id: result.recording.id) == result.recording)
            #expect(try await store.recording(fingerprint: "zzz") == nil)
            #expect(try await store.cameras().map(\.id) == ["CAM01"])
        },
        ConformanceCheck("recordings: committing the same content twice adds nothing and returns the first") { store in
            let first = try await store.commitIndexed(Fixture.recording("aaa"), events: [Fixture.event(4, 10)])
            var renamed = Fixture.recording("aaa")
            renamed.path = "/elsewhere/copy.mp4"
            let second = try await store.commitIndexed(renamed, events: [Fixture.event(4, 10), Fixture.event(20, 21)])
            #expect(!second.inserted)
            #expect(second.recording.path == "/footage/aaa.mp4")
            #expect(second.events == first.events)
            #expect(try await store.events(matching: EventQuery()).count == 1)
        },
        ConformanceCheck("recordings: health and picture signature are kept; the previous signature is the latest earlier one") { store in
            var early = Fixture.recording("early")
            early.signature = [0.25, 0.5]
            var later = Fixture.recording("later", start: Fixture.base.addingTimeInterval(60))
            later.signature = [0.75, 1]
            later.health = ["frozen picture", "view changed since the previous recording"]
            var blank = Fixture.recording("blank", start: Fixture.base.addingTimeInterval(120))
            blank.health = ["black picture"]
            _ = try await store.commitIndexed(early, events: [])
            let stored = try await store.commitIndexed(later, events: []).recording
            _ = try await store.commitIndexed(blank, events: [])
            #expect(stored.health == ["frozen picture", "view changed since the previous recording"])
            #expect(try await store.previousSignature(camera: "CAM01", before: Fixture.base.addingTimeInterval(60)) == [0.25, 0.5])
            // The latest recording before the time that has a signature: the black one has none.
            #expect(try await store.previousSignature(camera: "CAM01", before: Fixture.base.addingTimeInterval(999)) == [0.75, 1])
            #expect(try await store.previousSignature(camera: "CAM01", before: Fixture.base) == nil)
            #expect(try await store.previousSignature(camera: "CAM02", before: Fixture.base.addingTimeInterval(999)) == nil)
        },
        ConformanceCheck("recordings: the recordings overlapping a period come back in start order; neighbours that only touch do not") { store in
            for (name, start) in [("b", 60.0), ("a", 0), ("c", 120)] {
                _ = try await store.commitIndexed(Fixture.recording(name, start: Fixture.base.addingTimeInterval(start)), events: [])
            }
            let found = try await store.recordings(camera: "CAM01", overlappingFrom: Fixture.base.addingTimeInterval(50),
                                                   to: Fixture.base.addingTimeInterval(120))
            #expect(found.map(\.fingerprint) == ["a", "b"])
            #expect(try await store.recordings(camera: "CAM02", overlappingFrom: Fixture.base,
                                               to: Fixture.base.addingTimeInterval(999)).isEmpty)
        },
        ConformanceCheck("recordings: across files, events at a shared boundary merge, a real gap keeps them apart, overlapping files give one event") { store in
            let base = Fixture.base
            let merge = CommitOptions(mergeGapSeconds: 2)
            // File a: 0–60 s with motion running to its end; file b starts right after, motion from its start.
            let first = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(55, 59.9, peak: 1)], options: merge)
            let b = base.addingTimeInterval(60)
            let second = try await store.commitIndexed(Fixture.recording("b", start: b),
                                                       events: [Fixture.event(0.1, 4, start: b, peak: 2, still: "b/1.jpg")], options: merge)
            // The merged event keeps its id, and takes the stronger peak and its still; b adds no event of its own.
            #expect(second.inserted && second.events.isEmpty)
            let merged = try #require(try await store.event(id: first.events[0].id))
            #expect(Fixture.offset(merged.start) == 55 && Fixture.offset(merged.end) == 64)
            #expect(merged.peakScore == 2 && merged.still == "b/1.jpg" && merged.recordingID == first.recording.id)
            // File c starts after a 30 s gap (recorder was down): its edge event stays separate.
            let c = base.addingTimeInterval(150)
            _ = try await store.commitIndexed(Fixture.recording("c", start: c), events: [Fixture.event(0.1, 3, start: c)], options: merge)
            // File e overlaps d by 10 s and saw the same motion: one event, anchored where it starts (e).
            let d = base.addingTimeInterval(200)
            _ = try await store.commitIndexed(Fixture.recording("c2", start: c.addingTimeInterval(50)), events: [], options: merge)
            _ = try await store.commitIndexed(Fixture.recording("d", start: d), events: [Fixture.event(0, 2, start: d)], options: merge)
            let e = try await store.commitIndexed(Fixture.recording("e", start: d.addingTimeInterval(-10)),
                                                  events: [Fixture.event(9.5, 12.5, start: d.addingTimeInterval(-10))], options: merge)
            let events = try await store.events(matching: EventQuery())
            #expect(events.map { [Fixture.offset($0.start), Fixture.offset($0.end)] } == [[55, 64], [150.1, 153], [199.5, 202.5]])
            #expect(events.last?.recordingID == e.recording.id && events.last?.offsetSeconds == 9.5)
            // Without merging, the same boundary gives two events.
            let f = base.addingTimeInterval(1000)
            _ = try await store.commitIndexed(Fixture.recording("f", start: f), events: [Fixture.event(55, 59.9, start: f)])
            _ = try await store.commitIndexed(Fixture.recording("g", start: f.addingTimeInterval(60)),
                                              events: [Fixture.event(0.1, 4, start: f.addingTimeInterval(60))])
            #expect(try await store.events(matching: EventQuery(from: f)).count == 2)
        },
        ConformanceCheck("recordings: a long merged event is still found by a time range inside it") { store in
            let merge = CommitOptions(mergeGapSeconds: 2)
            var start = Fixture.base
            // Ten one-minute files with motion throughout: one ten-minute event.
            for file in 0..<10 {
                _ = try await store.commitIndexed(Fixture.recording("long\(file)", start: start),
                                                  events: [Fixture.event(0, 60, start: start)], options: merge)
                start = start.addingTimeInterval(60)
            }
            let inside = try await store.events(matching: EventQuery(from: Fixture.base.addingTimeInterval(300),
                                                                     to: Fixture.base.addingTimeInterval(301)))
            #expect(inside.count == 1)
            #expect(inside.first.map { Fixture.offset($0.end) } == 600)
        },
    ]
}
