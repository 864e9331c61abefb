import Catalog
import Foundation
import Testing

/// `RecordingStreamStore`: two streams per camera, and the lag figures.
enum RecordingStreamChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("streams: recordings keep their stream; sub-stream events move to a main recording and remember where they were found") { store in
            var sub = Fixture.recording("sub-1")
            sub.stream = .sub
            let committed = try await store.commitIndexed(sub, events: [Fixture.event(10, 14), Fixture.event(40, 44)])
            #expect(committed.recording.stream == .sub)
            #expect(committed.events.allSatisfy { $0.sourceStream == .sub && $0.detectedRecordingID == committed.recording.id })
            let waiting = try await store.subStreamEvents(
                camera: "CAM01", overlappingFrom: Fixture.base, to: Fixture.base.addingTimeInterval(60))
            #expect(waiting.map(\.id) == committed.events.map(\.id))
            #expect(try await store.subStreamEvents(
                camera: "CAM01", overlappingFrom: Fixture.base.addingTimeInterval(20), to: Fixture.base.addingTimeInterval(30)).isEmpty)

            let main = try await store.commitIndexed(Fixture.recording("main-1"), events: []).recording
            #expect(main.stream == .main)
            let first = committed.events[0]
            try await store.attachEvent(id: first.id, toRecording: main.id, offsetSeconds: 10, still: "main/1.jpg")
            let moved = try #require(try await store.event(id: first.id))
            #expect(moved.recordingID == main.id && moved.sourceStream == .main && moved.offsetSeconds == 10)
            #expect(moved.detectedRecordingID == committed.recording.id && moved.still == "main/1.jpg")
            // A nil still keeps the one the event had.
            try await store.attachEvent(id: committed.events[1].id, toRecording: main.id, offsetSeconds: 40, still: nil)
            #expect(try await store.event(id: committed.events[1].id)?.still == "x/1.jpg")
            #expect(try await store.subStreamEvents(
                camera: "CAM01", overlappingFrom: Fixture.base, to: Fixture.base.addingTimeInterval(60)).isEmpty)
            let both = try await store.recordings(camera: "CAM01", overlappingFrom: Fixture.base, to: Fixture.base.addingTimeInterval(60))
            #expect(Set(both.map(\.stream)) == [.main, .sub])
        },
        ConformanceCheck("streams: the oldest file not yet indexed, per camera") { store in
            let old = Fixture.base, newer = Fixture.base.addingTimeInterval(60)
            try await store.notePending(path: "/a/1.mp4", camera: "CAM01", sizeBytes: 1, modified: newer)
            try await store.notePending(path: "/a/0.mp4", camera: "CAM01", sizeBytes: 1, modified: old)
            try await store.notePending(path: "/b/0.mp4", camera: "CAM02", sizeBytes: 1, modified: newer)
            var oldest = try await store.oldestUnindexedFiles()
            #expect(oldest["CAM01"] == old && oldest["CAM02"] == newer)
            _ = try await store.markIndexing(path: "/a/0.mp4")
            #expect(try await store.oldestUnindexedFiles()["CAM01"] == old, "a file being indexed still counts")
            let recording = try await store.commitIndexed(Fixture.recording("r-0"), events: [], options: CommitOptions(source: "/a/0.mp4"))
            #expect(recording.inserted)
            oldest = try await store.oldestUnindexedFiles()
            #expect(oldest["CAM01"] == newer)
            try await store.markFailed(path: "/b/0.mp4", reason: "bad", final: true, alerts: [])
            #expect(try await store.oldestUnindexedFiles()["CAM02"] == nil)
        },
    ]
}
