import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Testing
import TestSupport

/// Issue 15, defect 13: retention is enforced, and held evidence survives it.
@Suite("Retention")
struct RetentionTests {
    let now = Date(timeIntervalSince1970: 1_720_600_200) // 2024-07-10

    /// A camera with three recordings: 40 days old (2 events), 40 days old with a held event, and yesterday's.
    func ward() async throws -> (TemporaryDirectory, SQLiteCatalog, [CommitResult]) {
        let folder = TemporaryDirectory("wardwatch-retention")
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        try await catalog.saveCameras([Camera(id: "CAM01")])
        try FileManager.default.createDirectory(atPath: catalog.stillsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("clips"), withIntermediateDirectories: true)
        var results: [CommitResult] = []
        for (index, age) in [40.0, 40.0, 1.0].enumerated() {
            let start = now.addingTimeInterval(-age * 86_400 + Double(index) * 600)
            let path = folder.path("rec\(index).mp4")
            try Data("footage \(index)".utf8).write(to: URL(fileURLWithPath: path))
            let recording = NewRecording(fingerprint: "f\(index)", path: path, camera: "CAM01", start: start, startSource: .container,
                                         durationSeconds: 300, codec: "h264", width: 640, height: 360, frameRate: 25,
                                         frameCount: 7500, sizeBytes: 9)
            let events = (0..<2).map { k in
                let offset = Double(k) * 100
                let still = "still-\(index)-\(k).jpg"
                _ = FileManager.default.createFile(atPath: (catalog.stillsDirectory as NSString).appendingPathComponent(still), contents: Data([1]))
                return NewMotionEvent(start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + 5),
                                      offsetSeconds: offset, clipStart: start.addingTimeInterval(offset),
                                      clipEnd: start.addingTimeInterval(offset + 7), peakTime: start.addingTimeInterval(offset + 1),
                                      peakScore: 1, meanScore: 1, area: 0.1, boundingBox: NormalizedBox(x: 0, y: 0, width: 0.5, height: 0.5),
                                      still: still)
            }
            let result = try await catalog.commitIndexed(recording, events: events)
            _ = FileManager.default.createFile(atPath: folder.path("clips/wwclip-\(result.recording.id)-abcdef.mp4"), contents: Data([1]))
            results.append(result)
        }
        // The second old recording's first event is evidence in a case.
        _ = try await catalog.addCustodyRecord(NewCustodyRecord(
            time: now, caseID: "CASE-1", action: .export, actor: "an", reason: "r", bundlePath: "/b",
            manifestSHA256: "00", eventIDs: [results[1].events[0].id]), holding: [results[1].events[0].id])
        return (folder, catalog, results)
    }

    func runner(_ catalog: SQLiteCatalog, _ folder: TemporaryDirectory, deleteFiles: Bool) -> RetentionRunner {
        RetentionRunner(store: catalog, stillsDirectory: catalog.stillsDirectory, clipDirectory: folder.path("clips"),
                        deleteRecordingFiles: deleteFiles, actor: "test", hash: { String($0.hashValue) })
    }

    @Test("expired events, stills, clips and rows go; a held event and its recording survive; files stay unless asked")
    func heldEventSurvives() async throws {
        let (folder, catalog, recordings) = try await ward()
        defer { folder.remove() }
        let dry = try await runner(catalog, folder, deleteFiles: false).run(cameras: ["CAM01": 30], now: now, dryRun: true)
        #expect(dry.events == 3 && dry.recordings == 1 && dry.keptForHolds == 1)
        #expect(try await catalog.recording(id: recordings[0].recording.id) != nil, "a dry run deletes nothing")

        let report = try await runner(catalog, folder, deleteFiles: false).run(cameras: ["CAM01": 30], now: now, dryRun: false)
        #expect(report.events == 3 && report.recordings == 1 && report.stills == 3 && report.clips == 1 && report.recordingFiles == 0)
        // Gone: the first old recording and its events; the held recording's unheld event.
        #expect(try await catalog.recording(id: recordings[0].recording.id) == nil)
        #expect(try await catalog.event(id: recordings[0].events[0].id) == nil)
        #expect(try await catalog.event(id: recordings[1].events[1].id) == nil)
        // Kept: the held event and its recording; yesterday's footage.
        #expect(try await catalog.event(id: recordings[1].events[0].id) != nil)
        #expect(try await catalog.recording(id: recordings[1].recording.id) != nil)
        #expect(try await catalog.event(id: recordings[2].events[1].id) != nil)
        #expect(FileManager.default.fileExists(atPath: recordings[0].recording.path), "files stay without delete_recordings")
        #expect(!FileManager.default.fileExists(atPath: (catalog.stillsDirectory as NSString).appendingPathComponent("still-0-0.jpg")))
        #expect(FileManager.default.fileExists(atPath: (catalog.stillsDirectory as NSString).appendingPathComponent("still-1-0.jpg")))
        #expect(!FileManager.default.fileExists(atPath: folder.path("clips/wwclip-\(recordings[0].recording.id)-abcdef.mp4")))
        #expect(FileManager.default.fileExists(atPath: folder.path("clips/wwclip-\(recordings[1].recording.id)-abcdef.mp4")))
        // Every deletion is audited.
        let audit = try await catalog.auditEntries(actor: nil, action: "retention.delete", from: nil, to: nil)
        #expect(audit.count == 2)
        #expect(audit.contains { $0.query.contains("recording=\(recordings[0].recording.id)") && $0.query.contains("file=kept") })
        #expect(audit.contains { $0.query.contains("events=\(recordings[1].events[1].id)") && $0.query.contains("kept_recordings=\(recordings[1].recording.id)") })

        // A second pass finds nothing new; the hold still wins.
        let again = try await runner(catalog, folder, deleteFiles: true).run(cameras: ["CAM01": 30], now: now, dryRun: false)
        #expect(again.events == 0 && again.recordings == 0 && again.keptForHolds == 1)
    }

    @Test("with delete_recordings the expired recording's file is deleted too")
    func deletesFiles() async throws {
        let (folder, catalog, recordings) = try await ward()
        defer { folder.remove() }
        let report = try await runner(catalog, folder, deleteFiles: true).run(cameras: ["CAM01": 30], now: now, dryRun: false)
        #expect(report.recordingFiles == 1)
        #expect(!FileManager.default.fileExists(atPath: recordings[0].recording.path))
        #expect(FileManager.default.fileExists(atPath: recordings[1].recording.path))
    }
}
