import Catalog
import Foundation
import Testing

/// `IngestQueueStore`: the daemon's file records.
enum IngestQueueChecks {
    static let modified = Date(timeIntervalSince1970: 1_720_600_000.5)

    static let all: [ConformanceCheck] = [
        ConformanceCheck("ingest queue: a file goes pending, indexing (attempts counted), failed or pending again") { store in
            #expect(try await store.sourceFile(path: "/cam/a.mp4") == nil)
            try await store.notePending(path: "/cam/a.mp4", camera: "CAM01", sizeBytes: 100, modified: modified)
            let pending = try #require(try await store.sourceFile(path: "/cam/a.mp4"))
            #expect(pending == SourceFile(path: "/cam/a.mp4", camera: "CAM01", sizeBytes: 100, modified: modified, state: .pending,
                                          reason: nil, attempts: 0, recordingID: nil))
            #expect(try await store.markIndexing(path: "/cam/a.mp4") == 1)
            #expect(try await store.sourceFile(path: "/cam/a.mp4")?.state == .indexing)
            try await store.markFailed(path: "/cam/a.mp4", reason: "truncated", final: false, alerts: [])
            let retry = try #require(try await store.sourceFile(path: "/cam/a.mp4"))
            #expect(retry.state == .pending && retry.reason == "truncated" && retry.attempts == 1)
            #expect(try await store.markIndexing(path: "/cam/a.mp4") == 2)
            try await store.markFailed(path: "/cam/a.mp4", reason: "still truncated", final: true,
                                       alerts: [Fixture.alert("failed-a")])
            let failed = try #require(try await store.sourceFile(path: "/cam/a.mp4"))
            #expect(failed.state == .failed && failed.reason == "still truncated" && failed.attempts == 2)
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["failed-a"])
            // A changed file starts over.
            try await store.notePending(path: "/cam/a.mp4", camera: "CAM01", sizeBytes: 200, modified: modified.addingTimeInterval(5))
            let fresh = try #require(try await store.sourceFile(path: "/cam/a.mp4"))
            #expect(fresh.state == .pending && fresh.attempts == 0 && fresh.reason == nil && fresh.sizeBytes == 200)
        },
        ConformanceCheck("ingest queue: an interrupted attempt is not counted, after shutdown or after a crash") { store in
            for name in ["a", "b", "c"] {
                try await store.notePending(path: "/cam/\(name).mp4", camera: "CAM01", sizeBytes: 1, modified: modified)
            }
            #expect(try await store.markIndexing(path: "/cam/a.mp4") == 1)
            try await store.markInterrupted(path: "/cam/a.mp4")
            let a = try #require(try await store.sourceFile(path: "/cam/a.mp4"))
            #expect(a.state == .pending && a.attempts == 0)
            // Only a file being indexed is put back.
            try await store.markInterrupted(path: "/cam/c.mp4")
            #expect(try await store.sourceFile(path: "/cam/c.mp4")?.state == .pending)
            _ = try await store.markIndexing(path: "/cam/a.mp4")
            _ = try await store.markIndexing(path: "/cam/b.mp4")
            #expect(try await store.recoverInterruptedWork() == 2)
            #expect(try await store.sourceFile(path: "/cam/b.mp4").map { [$0.state.rawValue, String($0.attempts)] } == ["pending", "0"])
            #expect(try await store.recoverInterruptedWork() == 0)
        },
        ConformanceCheck("ingest queue: a commit marks its file indexed in the same transaction; a copy is marked as the original") { store in
            try await store.notePending(path: "/cam/a.mp4", camera: "CAM01", sizeBytes: 1, modified: modified)
            try await store.notePending(path: "/cam/copy.mp4", camera: "CAM01", sizeBytes: 1, modified: modified)
            _ = try await store.markIndexing(path: "/cam/a.mp4")
            let result = try await store.commitIndexed(Fixture.recording("a"), events: [], options: CommitOptions(source: "/cam/a.mp4"))
            let indexed = try #require(try await store.sourceFile(path: "/cam/a.mp4"))
            #expect(indexed.state == .indexed && indexed.recordingID == result.recording.id)
            try await store.markIndexed(path: "/cam/copy.mp4", recordingID: result.recording.id)
            #expect(try await store.sourceFile(path: "/cam/copy.mp4")?.recordingID == result.recording.id)
            // Committing known content with a source marks that file too.
            try await store.notePending(path: "/cam/again.mp4", camera: "CAM01", sizeBytes: 1, modified: modified)
            _ = try await store.commitIndexed(Fixture.recording("a"), events: [], options: CommitOptions(source: "/cam/again.mp4"))
            #expect(try await store.sourceFile(path: "/cam/again.mp4")?.state == .indexed)
        },
        ConformanceCheck("ingest queue: the last file seen is kept per camera") { store in
            let before = Date().addingTimeInterval(-1)
            try await store.notePending(path: "/cam1/a.mp4", camera: "CAM01", sizeBytes: 1, modified: modified)
            try await store.notePending(path: "/cam2/a.mp4", camera: "CAM02", sizeBytes: 1, modified: modified)
            let seen = try await store.lastFileSeen()
            #expect(Set(seen.keys) == ["CAM01", "CAM02"])
            #expect(seen.values.allSatisfy { $0 >= before && $0 <= Date().addingTimeInterval(1) })
        },
    ]
}
