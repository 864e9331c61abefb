import Catalog
import Foundation
import Testing

/// Issue 15, defect 7: a file that grew at its path replaces the recording of its first part.
enum GrownRecordingChecks {
    static func options(replace: Bool, source: String? = nil) -> CommitOptions {
        var options = CommitOptions(source: source, alerts: { [Fixture.alert("motion/event-\($0.id)")] })
        options.replaceGrownFile = replace
        return options
    }

    static func grown(_ fingerprint: String, duration: Double, size: Int64) -> NewRecording {
        var recording = Fixture.recording(fingerprint, duration: duration)
        recording.path = "/footage/CAM01_20240710_153000.ts"
        recording.sizeBytes = size
        return recording
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("recordings: the grown file replaces its first part; continued events keep their ids and alerts, once") { store in
            try await store.notePending(path: "/footage/CAM01_20240710_153000.ts", camera: "CAM01", sizeBytes: 500, modified: Fixture.base)
            let part = try await store.commitIndexed(grown("part", duration: 30, size: 500),
                                                     events: [Fixture.event(4, 10), Fixture.event(20, 29.9)],
                                                     options: options(replace: true, source: "/footage/CAM01_20240710_153000.ts"))
            #expect(part.replaced == nil)
            let whole = try await store.commitIndexed(grown("whole", duration: 60, size: 1000),
                                                      events: [Fixture.event(20, 35), Fixture.event(45, 50)],
                                                      options: options(replace: true, source: "/footage/CAM01_20240710_153000.ts"))
            #expect(whole.inserted && whole.replaced == part.recording.id)
            #expect(try await store.recording(id: part.recording.id) == nil)
            #expect(try await store.recordings(camera: "CAM01", overlappingFrom: Fixture.base, to: Fixture.base.addingTimeInterval(99))
                        .map(\.fingerprint) == ["whole"])
            // The event the whole file continues keeps its id (and so its alert); the one it no longer has is gone.
            let events = try await store.events(matching: EventQuery())
            #expect(events.map(\.id) == [part.events[1].id, whole.events[1].id])
            #expect(events.map { Fixture.offset($0.end) } == [35, 50])
            #expect(events.allSatisfy { $0.recordingID == whole.recording.id })
            let alerts = try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID)
            #expect(alerts == part.events.map { "motion/event-\($0.id)" } + ["motion/event-\(whole.events[1].id)"])
            #expect(try await store.sourceFile(path: "/footage/CAM01_20240710_153000.ts")?.recordingID == whole.recording.id)
        },
        ConformanceCheck("recordings: without the option, or at another time, a file at the same path is a recording of its own") { store in
            let first = try await store.commitIndexed(grown("first", duration: 30, size: 500), events: [], options: options(replace: false))
            let second = try await store.commitIndexed(grown("second", duration: 60, size: 1000), events: [], options: options(replace: false))
            let firstKept = try await store.recording(id: first.recording.id)
            #expect(second.replaced == nil && firstKept != nil)
            // The path reused a day later for other footage is not a growth.
            var later = grown("later", duration: 90, size: 2000)
            later.start = Fixture.base.addingTimeInterval(86_400)
            let third = try await store.commitIndexed(later, events: [], options: options(replace: true))
            let secondKept = try await store.recording(id: second.recording.id)
            #expect(third.replaced == nil && secondKept != nil)
        },
    ]
}
