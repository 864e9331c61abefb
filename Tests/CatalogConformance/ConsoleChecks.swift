import Catalog
import Foundation
import Testing

/// `SessionStore` and `ReviewStore`: the web console's sign-ins (shared by every `serve` process
/// over one catalog) and each person's review of events. A backend conforms to both.
enum ConsoleChecks {
    static let base = Fixture.base

    static func roles(_ store: any CatalogStore) -> (any SessionStore, any ReviewStore) { (store, store) }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("sessions: live until they expire, their user is revoked, or they are deleted; only active users get one") { store in
            let (sessions, _) = roles(store)
            try await store.addUser(User(name: "lan", role: .investigator, ward: "Phường Hàng Trống", created: base, revoked: nil),
                                    tokenHash: "hash-lan")
            try await sessions.createSession(idHash: "s1", userName: "lan", csrfToken: "c1", created: base, expires: base.addingTimeInterval(3600))
            try await sessions.createSession(idHash: "s2", userName: "lan", csrfToken: "c2", created: base, expires: base.addingTimeInterval(60))
            await #expect(throws: CatalogError.self) {
                try await sessions.createSession(idHash: "s3", userName: "nobody", csrfToken: "c3", created: base,
                                                 expires: base.addingTimeInterval(60))
            }
            let found = try #require(try await sessions.session(idHash: "s1", at: base.addingTimeInterval(120)))
            #expect(found.user.name == "lan" && found.user.ward == "Phường Hàng Trống" && found.csrfToken == "c1")
            #expect(found.expires == base.addingTimeInterval(3600) && found.created == base)
            #expect(try await sessions.session(idHash: "s2", at: base.addingTimeInterval(120)) == nil, "expired")
            #expect(try await sessions.session(idHash: "s2", at: base.addingTimeInterval(30)) != nil)
            #expect(try await sessions.deleteExpiredSessions(before: base.addingTimeInterval(120)) == 1)
            #expect(try await sessions.session(idHash: "s2", at: base.addingTimeInterval(30)) == nil, "swept")
            _ = try await store.revokeUser(name: "lan")
            #expect(try await sessions.session(idHash: "s1", at: base.addingTimeInterval(120)) == nil, "a revoked user has no session")
            #expect(try await sessions.deleteSession(idHash: "s1") == true)
            #expect(try await sessions.deleteSession(idHash: "s1") == false)
            await #expect(throws: CatalogError.self) {
                try await sessions.createSession(idHash: "s4", userName: "lan", csrfToken: "c4", created: base,
                                                 expires: base.addingTimeInterval(60))
            }
        },
        ConformanceCheck("reviews: per user and per event, replaced on save, refused for an unknown event") { store in
            let (_, reviews) = roles(store)
            let ids = try await store.commitIndexed(Fixture.recording("aaa"), events: [Fixture.event(4, 10), Fixture.event(22, 30)])
                .events.map(\.id)
            try await reviews.saveReview(EventReview(eventID: ids[0], user: "lan", reviewed: true, note: "xe máy", updated: base))
            try await reviews.saveReview(EventReview(eventID: ids[0], user: "minh", reviewed: false, note: "", updated: base))
            let later = base.addingTimeInterval(5)
            try await reviews.saveReview(EventReview(eventID: ids[0], user: "lan", reviewed: false, note: "xe máy rẽ trái", updated: later))
            #expect(try await reviews.reviews(user: "lan", eventIDs: ids)
                == [EventReview(eventID: ids[0], user: "lan", reviewed: false, note: "xe máy rẽ trái", updated: later)])
            #expect(try await reviews.reviews(user: "minh", eventIDs: [ids[1]]).isEmpty)
            #expect(try await reviews.reviews(user: "lan", eventIDs: []).isEmpty)
            await #expect(throws: CatalogError.self) {
                try await reviews.saveReview(EventReview(eventID: 999_999, user: "lan", reviewed: true, note: "", updated: base))
            }
        },
    ]
}
