import Catalog
import Foundation
import Testing

/// `UserStore`: users by token hash.
enum UserChecks {
    static let created = Date(timeIntervalSince1970: 1_720_000_000)

    static let all: [ConformanceCheck] = [
        ConformanceCheck("users: added, found by token hash, listed by name, revoked once; names are unique") { store in
            let lan = User(name: "lan", role: .investigator, ward: "Phường Hàng Trống", created: created, revoked: nil)
            let an = User(name: "an", role: .admin, ward: nil, created: created, revoked: nil)
            try await store.addUser(lan, tokenHash: "hash-lan")
            try await store.addUser(an, tokenHash: "hash-an")
            #expect(try await store.users() == [an, lan])
            #expect(try await store.user(tokenHash: "hash-lan") == lan)
            #expect(try await store.user(tokenHash: "nobody") == nil)
            let error = await #expect(throws: CatalogError.self) {
                try await store.addUser(User(name: "lan", role: .viewer, ward: nil, created: created, revoked: nil), tokenHash: "other")
            }
            #expect(error?.code == .constraint)
            #expect(try await store.revokeUser(name: "lan"))
            #expect(try await !store.revokeUser(name: "lan"))
            #expect(try await !store.revokeUser(name: "nobody"))
            #expect(try await store.user(tokenHash: "hash-lan") == nil)
            let listed = try await store.users()
            #expect(listed.map(\.name) == ["an", "lan"] && listed[1].revoked != nil && listed[0].revoked == nil)
            // A revoked name stays taken.
            await #expect(throws: (any Error).self) {
                try await store.addUser(User(name: "lan", role: .viewer, ward: nil, created: created, revoked: nil), tokenHash: "new")
            }
        },
    ]
}

/// `AuditStore`: the hash chain and its filters.
enum AuditChecks {
    static func entry(_ actor: String, _ action: String, results: Int? = nil) -> NewAuditEntry {
        NewAuditEntry(actor: actor, action: action, query: "q=\(action)|\\x", resultCount: results, client: "127.0.0.1")
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("audit: entries are numbered and chained from the genesis hash, across batches") { store in
            let first = try await store.appendAudit([entry("lan", "search", results: 3), entry("lan", "view")], hash: Fixture.hash)
            let second = try await store.appendAudit(entry("an", "users.add"), hash: Fixture.hash)
            #expect(try await store.appendAudit([], hash: Fixture.hash).isEmpty)
            let all = try await store.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(all == first + [second])
            #expect(all.map(\.sequence) == [1, 2, 3])
            #expect(all[0].previousHash == AuditEntry.genesis)
            for index in all.indices {
                #expect(all[index].hash == Fixture.hash(all[index].chainText))
                if index > 0 { #expect(all[index].previousHash == all[index - 1].hash) }
            }
            #expect(all[0].resultCount == 3 && all[1].resultCount == nil && all[0].query == "q=search|\\x")
        },
        ConformanceCheck("audit: filters by actor, action and time combine") { store in
            let before = Date().addingTimeInterval(-5)
            try await store.appendAudit([entry("lan", "search"), entry("lan", "clip"), entry("an", "search")], hash: Fixture.hash)
            #expect(try await store.auditEntries(actor: "lan", action: nil, from: nil, to: nil).map(\.action) == ["search", "clip"])
            #expect(try await store.auditEntries(actor: nil, action: "search", from: nil, to: nil).map(\.actor) == ["lan", "an"])
            #expect(try await store.auditEntries(actor: "an", action: "search", from: before, to: nil).count == 1)
            #expect(try await store.auditEntries(actor: nil, action: nil, from: nil, to: before).isEmpty)
            #expect(try await store.auditEntries(actor: nil, action: nil, from: Date().addingTimeInterval(60), to: nil).isEmpty)
        },
        ConformanceCheck("audit: concurrent appends keep one unbroken chain") { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for number in 0..<5 { try await store.appendAudit(entry("w\(writer)", "n\(number)"), hash: Fixture.hash) }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await store.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(all.map(\.sequence) == Array(1...40))
            #expect(zip(all.dropFirst(), all).allSatisfy { $0.previousHash == $1.hash })
        },
    ]
}
