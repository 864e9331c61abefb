import Catalog
import CatalogSQLite
import Foundation
import GRDB
import Testing

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

    @Test("the recordings overlapping a period come back in start order; neighbours that only touch do not")
    func recordingsOverlapping() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        _ = try catalog.commitIndexed(recording("b", start: 60), events: [])
        _ = try catalog.commitIndexed(recording("a", start: 0), events: [])
        _ = try catalog.commitIndexed(recording("c", start: 120), events: [])
        let found = try catalog.recordings(camera: "CAM01", overlappingFrom: base.addingTimeInterval(50),
                                           to: base.addingTimeInterval(120))
        #expect(found.map(\.fingerprint) == ["a", "b"])
        #expect(try catalog.recordings(camera: "CAM02", overlappingFrom: base, to: base.addingTimeInterval(999)).isEmpty)
    }

    @Test("an export record puts its events on hold for its case; records and holds list by case")
    func recordAndHold() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        let events = try catalog.commitIndexed(recording("a", start: 0), events: [event(at: 5, in: 0), event(at: 30, in: 0)]).events
        let first = try catalog.addCustodyRecord(export("CASE-1", events: [events[0].id]), holding: [events[0].id])
        var handoff = export("CASE-1", events: [events[0].id])
        handoff.action = .handoff
        handoff.recipient = "Đại úy Minh"
        try catalog.addCustodyRecord(handoff, holding: [])
        try catalog.addCustodyRecord(export("CASE-2", events: events.map(\.id)), holding: events.map(\.id))

        #expect(try catalog.isOnLegalHold(eventID: events[0].id))
        #expect(try catalog.isOnLegalHold(eventID: events[1].id))
        #expect(try catalog.custodyRecords(caseID: "CASE-1").map(\.action) == [.export, .handoff])
        #expect(try catalog.custodyRecords(caseID: "CASE-1").last?.recipient == "Đại úy Minh")
        #expect(try catalog.custodyRecords(caseID: nil).count == 3)
        #expect(try catalog.custodyRecords(caseID: "CASE-2").first?.eventIDs == events.map(\.id))
        #expect(try catalog.legalHolds(caseID: "CASE-1") == [
            LegalHold(eventID: events[0].id, caseID: "CASE-1", placed: base, custodyID: first.id)])
        #expect(try catalog.legalHolds().map(\.caseID) == ["CASE-1", "CASE-2", "CASE-2"])
    }

    @Test("holding an event that does not exist fails and stores nothing")
    func holdUnknownEvent() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        #expect(throws: CatalogError.self) { try catalog.addCustodyRecord(export("CASE-1", events: [42]), holding: [42]) }
        #expect(try catalog.custodyRecords(caseID: nil).isEmpty)
    }

    @Test("held events, their recordings, holds and custody records cannot be deleted; others can")
    func heldEventsSurviveDeletion() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("c.sqlite")
        let catalog = try SQLiteCatalog(path: path)
        let held = try catalog.commitIndexed(recording("a", start: 0), events: [event(at: 5, in: 0), event(at: 30, in: 0)])
        let free = try catalog.commitIndexed(recording("b", start: 60), events: [event(at: 5, in: 60)])
        try catalog.addCustodyRecord(export("CASE-1", events: [held.events[0].id]), holding: [held.events[0].id])

        let queue = try DatabaseQueue(path: path)
        for sql in ["DELETE FROM event WHERE id = \(held.events[0].id)", "DELETE FROM recording WHERE id = \(held.recording.id)",
                    "DELETE FROM legal_hold", "DELETE FROM custody", "UPDATE custody SET reason = 'nothing'"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { try $0.execute(sql: sql) } }
        }
        #expect(try catalog.event(id: held.events[0].id) != nil)
        // An event without a hold, and a recording without held events, can still go.
        try queue.write { try $0.execute(sql: "DELETE FROM event WHERE id = \(held.events[1].id)") }
        try queue.write { try $0.execute(sql: "DELETE FROM recording WHERE id = \(free.recording.id)") }
        #expect(try catalog.event(id: free.events[0].id) == nil)
    }
}
