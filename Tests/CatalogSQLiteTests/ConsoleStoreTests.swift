import Catalog
import CatalogSQLite
import Foundation
import Testing

@Suite("Console sessions and event reviews in the SQLite catalog")
struct ConsoleStoreTests {
    let base = Date(timeIntervalSince1970: 1_720_600_200)

    func catalogWithUser(_ folder: TemporaryFolder) throws -> SQLiteCatalog {
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        try catalog.addUser(User(name: "lan", role: .investigator, ward: "Phường Hàng Trống", created: base, revoked: nil),
                            tokenHash: String(repeating: "b", count: 64))
        return catalog
    }

    @Test("a session lives until it expires, its user is revoked, or it is deleted; only active users get one")
    func sessions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try catalogWithUser(folder)
        try catalog.createSession(idHash: "s1", userName: "lan", csrfToken: "c1", created: base, expires: base.addingTimeInterval(3600))
        try catalog.createSession(idHash: "s2", userName: "lan", csrfToken: "c2", created: base, expires: base.addingTimeInterval(60))
        #expect(throws: CatalogError.self) {
            try catalog.createSession(idHash: "s3", userName: "nobody", csrfToken: "c3", created: base, expires: base.addingTimeInterval(60))
        }
        let found = try #require(try catalog.session(idHash: "s1", at: base.addingTimeInterval(120)))
        #expect(found.user.name == "lan" && found.user.ward == "Phường Hàng Trống" && found.csrfToken == "c1")
        #expect(found.expires == base.addingTimeInterval(3600))
        #expect(try catalog.session(idHash: "s2", at: base.addingTimeInterval(120)) == nil, "expired")
        #expect(try catalog.session(idHash: "s2", at: base.addingTimeInterval(30)) != nil)
        #expect(try catalog.deleteExpiredSessions(before: base.addingTimeInterval(120)) == 1)
        #expect(try catalog.session(idHash: "s2", at: base.addingTimeInterval(30)) == nil, "swept")

        _ = try catalog.revokeUser(name: "lan")
        #expect(try catalog.session(idHash: "s1", at: base.addingTimeInterval(120)) == nil, "revoked users have no session")
        #expect(try catalog.deleteSession(idHash: "s1"))
        #expect(try !catalog.deleteSession(idHash: "s1"))
        #expect(throws: CatalogError.self) {
            try catalog.createSession(idHash: "s4", userName: "lan", csrfToken: "c4", created: base, expires: base.addingTimeInterval(60))
        }
    }

    @Test("a review is per user and per event, replaced on save, and refused for an unknown event")
    func reviews() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try catalogWithUser(folder)
        let recording = NewRecording(fingerprint: "r", path: "/footage/r.mp4", camera: "CAM01", start: base, startSource: .container,
                                     durationSeconds: 60, codec: "h264", width: 1280, height: 720, frameRate: 25, frameCount: 1500,
                                     sizeBytes: 1)
        func event(_ offset: Double) -> NewMotionEvent {
            let start = base.addingTimeInterval(offset)
            return NewMotionEvent(start: start, end: start.addingTimeInterval(3), offsetSeconds: offset, clipStart: start,
                                  clipEnd: start.addingTimeInterval(5), peakTime: start, peakScore: 1, meanScore: 1, area: 0.01,
                                  boundingBox: NormalizedBox(x: 0, y: 0, width: 0.1, height: 0.1), still: nil)
        }
        let events = [event(0), event(10)]
        let ids = try catalog.commitIndexed(recording, events: events).events.map(\.id)
        try catalog.saveReview(EventReview(eventID: ids[0], user: "lan", reviewed: true, note: "xe máy", updated: base))
        try catalog.saveReview(EventReview(eventID: ids[0], user: "minh", reviewed: false, note: "", updated: base))
        try catalog.saveReview(EventReview(eventID: ids[0], user: "lan", reviewed: false, note: "xe máy rẽ trái", updated: base.addingTimeInterval(5)))
        let lan = try catalog.reviews(user: "lan", eventIDs: ids)
        #expect(lan == [EventReview(eventID: ids[0], user: "lan", reviewed: false, note: "xe máy rẽ trái", updated: base.addingTimeInterval(5))])
        #expect(try catalog.reviews(user: "minh", eventIDs: [ids[1]]).isEmpty)
        #expect(try catalog.reviews(user: "lan", eventIDs: []).isEmpty)
        #expect(throws: CatalogError.self) {
            try catalog.saveReview(EventReview(eventID: 999, user: "lan", reviewed: true, note: "", updated: base))
        }
    }
}
