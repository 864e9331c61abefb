import Catalog
import Foundation
import Testing

/// Issue 15, defect 2: the full-file SHA-256 stored at index time, and recordings whose file was found changed.
enum SourceIntegrityChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("recordings: the full-file SHA-256 is stored and read back; a recording without one reads nil") { store in
            var hashed = Fixture.recording("hashed")
            hashed.sha256 = String(repeating: "ab", count: 32)
            let stored = try await store.commitIndexed(hashed, events: []).recording
            #expect(stored.sha256 == hashed.sha256)
            #expect(try await store.recording(id: stored.id)?.sha256 == hashed.sha256)
            let old = try await store.commitIndexed(Fixture.recording("old", start: Fixture.base.addingTimeInterval(60)), events: [])
            #expect(old.recording.sha256 == nil)
            #expect(try await store.recording(fingerprint: "old")?.sha256 == nil)
        },
        ConformanceCheck("recordings: a changed source is noted with its alert in one step, shown in status, and cleared") { store in
            let recording = try await store.commitIndexed(Fixture.recording("aaa"), events: []).recording
            #expect(recording.sourceProblem == nil)
            try await store.recordSourceProblem(recordingID: recording.id, problem: "the file was replaced",
                                                alerts: [Fixture.alert("health/source-1")])
            #expect(try await store.recording(id: recording.id)?.sourceProblem == "the file was replaced")
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["health/source-1"])
            let status = try #require(try await store.cameraStatus().first { $0.camera == "CAM01" })
            #expect(status.sourceProblems == ["recording \(recording.id): the file was replaced"])
            // The same alert again (a second refusal of the same file) is not queued twice.
            try await store.recordSourceProblem(recordingID: recording.id, problem: "the file was replaced",
                                                alerts: [Fixture.alert("health/source-1")])
            #expect(try await store.undeliveredAlerts(limit: 10).count == 1)
            try await store.recordSourceProblem(recordingID: recording.id, problem: nil, alerts: [])
            #expect(try await store.recording(id: recording.id)?.sourceProblem == nil)
            #expect(try await store.cameraStatus().first { $0.camera == "CAM01" }?.sourceProblems == [])
        },
    ]
}
