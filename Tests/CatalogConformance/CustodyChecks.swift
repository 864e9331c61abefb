import Catalog
import Foundation
import Testing

/// `CustodyStore`: custody steps and legal holds.
enum CustodyChecks {
    static func export(_ caseID: String, events: [Int64]) -> NewCustodyRecord {
        NewCustodyRecord(time: Fixture.base, caseID: caseID, action: .export, actor: "cli:lan", reason: "robbery report",
                         bundlePath: "/tmp/\(caseID)", manifestSHA256: String(repeating: "a", count: 64), eventIDs: events)
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck("custody: an export record puts its events on hold for its case; records and holds list by case") { store in
            let events = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(5, 8), Fixture.event(30, 33)]).events
            let first = try await store.addCustodyRecord(export("CASE-1", events: [events[0].id]), holding: [events[0].id])
            #expect(first.caseID == "CASE-1" && first.eventIDs == [events[0].id] && first.time == Fixture.base)
            var handoff = export("CASE-1", events: [events[0].id])
            handoff.action = .handoff
            handoff.recipient = "Đại úy Minh"
            try await store.addCustodyRecord(handoff, holding: [])
            try await store.addCustodyRecord(export("CASE-2", events: events.map(\.id)), holding: events.map(\.id))
            // Holding an event again for the same case keeps one hold.
            try await store.addCustodyRecord(export("CASE-2", events: [events[0].id]), holding: [events[0].id])

            #expect(try await store.isOnLegalHold(eventID: events[0].id))
            #expect(try await store.isOnLegalHold(eventID: events[1].id))
            #expect(try await store.custodyRecords(caseID: "CASE-1").map(\.action) == [.export, .handoff])
            #expect(try await store.custodyRecords(caseID: "CASE-1").last?.recipient == "Đại úy Minh")
            #expect(try await store.custodyRecords(caseID: nil).count == 4)
            #expect(try await store.custodyRecords(caseID: "CASE-2").first?.eventIDs == events.map(\.id))
            #expect(try await store.legalHolds(caseID: "CASE-1") == [
                LegalHold(eventID: events[0].id, caseID: "CASE-1", placed: Fixture.base, custodyID: first.id)])
            #expect(try await store.legalHolds().map(\.caseID) == ["CASE-1", "CASE-2", "CASE-2"])
        },
        ConformanceCheck("custody: holding an event that does not exist fails and stores nothing") { store in
            let error = await #expect(throws: CatalogError.self) {
                try await store.addCustodyRecord(export("CASE-1", events: [42]), holding: [42])
            }
            #expect(error?.code == .constraint)
            let records = try await store.custodyRecords(caseID: nil)
            #expect(records.isEmpty)
            #expect(try await store.legalHolds().isEmpty)
            #expect(try await !store.isOnLegalHold(eventID: 42))
        },
        ConformanceCheck("custody: an audited record commits with its audit entry, chained after the others; a failed one writes neither") { store in
            let events = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(5, 8)]).events
            let hash: @Sendable (String) -> String = { "h:" + String($0.utf8.count) }
            try await store.appendAudit(NewAuditEntry(actor: "an", action: "search", query: "/q", resultCount: 1, client: "10.0.0.1"), hash: hash)
            func audited(_ caseID: String) -> AuditedChange {
                AuditedChange(NewAuditEntry(actor: "chi", action: "export", query: "case=\(caseID)", resultCount: 1, client: "10.0.0.2"), hash: hash)
            }
            let error = await #expect(throws: CatalogError.self) {
                try await store.addCustodyRecord(export("CASE-X", events: [42]), holding: [42], auditing: audited("CASE-X"))
            }
            #expect(error?.code == .constraint)
            #expect(try await store.auditEntries(actor: nil, action: nil, from: nil, to: nil).map(\.action) == ["search"])
            #expect(try await store.custodyRecords(caseID: nil).isEmpty)

            try await store.addCustodyRecord(export("CASE-1", events: [events[0].id]), holding: [events[0].id], auditing: audited("CASE-1"))
            let trail = try await store.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(trail.map(\.action) == ["search", "export"] && trail.map(\.sequence) == [1, 2])
            #expect(trail.last?.query == "case=CASE-1" && trail.last?.previousHash == trail.first?.hash && trail.last?.client == "10.0.0.2")
            #expect(try await store.custodyRecords(caseID: "CASE-1").count == 1)
            #expect(try await store.isOnLegalHold(eventID: events[0].id))
        },
    ]
}
