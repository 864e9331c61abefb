import Catalog
import CatalogSQLite
import Foundation
import GRDB
import Testing

/// The triggers that keep evidence in the SQLite file whatever a later job forgets (the custody
/// behaviour itself is in the conformance suite).
@Suite("Custody records and legal holds in the SQLite catalog")
struct CustodyTests {
    let base = Date(timeIntervalSince1970: 1_720_600_200)

    func recording(_ fingerprint: String, start: Double, duration: Double = 60) -> NewRecording {
        NewRecording(fingerprint: fingerprint, path: "/footage/\(fingerprint).mp4", camera: "CAM01",
                     start: base.addingTimeInterval(start), startSource: .container, durationSeconds: duration,
                     codec: "h264", width: 1280, height: 720, frameRate: 25, frameCount: Int(duration * 25), sizeBytes: 99)
    }

    func event(at offset: Double, in recordingStart: Double) -> NewMotionEvent {
        let start = base.addingTimeInterval(recordingStart + offset)
        return NewMotionEvent(start: start, end: start.addingTimeInterval(3), offsetSeconds: offset,
                              clipStart: start, clipEnd: start.addingTimeInterval(3), peakTime: start, peakScore: 1,
                              meanScore: 1, area: 0.01, boundingBox: NormalizedBox(x: 0, y: 0, width: 0.1, height: 0.1),
                              still: nil)
    }

    func export(_ caseID: String, events: [Int64]) -> NewCustodyRecord {
        NewCustodyRecord(time: base, caseID: caseID, action: .export, actor: "cli:lan", reason: "robbery report",
                         bundlePath: "/tmp/\(caseID)", manifestSHA256: String(repeating: "a", count: 64), eventIDs: events)
    }

    @Test("held events, their recordings, holds and custody records cannot be deleted; others can")
    func heldEventsSurviveDeletion() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("c.sqlite")
        let catalog = try SQLiteCatalog(path: path)
        let held = try await catalog.commitIndexed(recording("a", start: 0), events: [event(at: 5, in: 0), event(at: 30, in: 0)])
        let free = try await catalog.commitIndexed(recording("b", start: 60), events: [event(at: 5, in: 60)])
        try await catalog.addCustodyRecord(export("CASE-1", events: [held.events[0].id]), holding: [held.events[0].id])

        let queue = try DatabaseQueue(path: path)
        for sql in ["DELETE FROM event WHERE id = \(held.events[0].id)", "DELETE FROM recording WHERE id = \(held.recording.id)",
                    "DELETE FROM legal_hold", "DELETE FROM custody", "UPDATE custody SET reason = 'nothing'"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { try $0.execute(sql: sql) } }
        }
        #expect(try await catalog.event(id: held.events[0].id) != nil)
        // An event without a hold, and a recording without held events, can still go.
        try await queue.write { try $0.execute(sql: "DELETE FROM event WHERE id = \(held.events[1].id)") }
        try await queue.write { try $0.execute(sql: "DELETE FROM recording WHERE id = \(free.recording.id)") }
        #expect(try await catalog.event(id: free.events[0].id) == nil)
    }
}
