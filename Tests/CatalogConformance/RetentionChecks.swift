import Catalog
import Foundation
import Testing

/// `RetentionStore`: finding expired rows, removing them with their audit entries, and the holds that win.
enum RetentionChecks {
    static let base = Fixture.base

    static let all: [ConformanceCheck] = [
        ConformanceCheck("retention: expired rows go with their audit entries; held events and their recordings stay; a plan applies once") { store in
            let retention: any RetentionStore = store
            try await store.saveCameras([Camera(id: "CAM01")])
            // Two recordings 40 days old (the second holds evidence) and one from yesterday.
            var committed: [CommitResult] = []
            for (index, age) in [40.0, 40.0, 1.0].enumerated() {
                let start = base.addingTimeInterval(-age * 86_400 + Double(index) * 600)
                committed.append(try await store.commitIndexed(
                    Fixture.recording("r\(index)", start: start, duration: 300),
                    events: [Fixture.event(10, 15, start: start, still: "s\(index)a.jpg"), Fixture.event(100, 105, start: start, still: "s\(index)b.jpg")]))
            }
            let held = committed[1].events[0].id
            _ = try await store.addCustodyRecord(NewCustodyRecord(
                time: base, caseID: "CASE-1", action: .export, actor: "an", reason: "r", bundlePath: "/b",
                manifestSHA256: "00", eventIDs: [held]), holding: [held])

            let candidates = try await retention.retentionCandidates(camera: "CAM01", before: Retention.cutoff(days: 30, now: base))
            #expect(candidates.events.map(\.id) == committed[0].events.map(\.id) + committed[1].events.map(\.id))
            #expect(candidates.events.filter(\.held).map(\.id) == [held])
            #expect(candidates.events.first?.still == "s0a.jpg")
            #expect(candidates.recordings.map(\.recording.id) == [committed[0].recording.id, committed[1].recording.id])
            #expect(candidates.recordings.map(\.hasHeldEvents) == [false, true])

            let plan = Retention.plan(candidates, deleteRecordingFiles: false)
            let audit = [NewAuditEntry(actor: "test", action: "retention.delete", query: "camera=CAM01", resultCount: plan.events.count,
                                       client: "local")]
            let appended = try await retention.applyRetention(plan, audit: audit, hash: Fixture.hash)
            #expect(appended.map(\.action) == ["retention.delete"])
            #expect(try await store.recording(id: committed[0].recording.id) == nil)
            #expect(try await store.event(id: committed[0].events[1].id) == nil)
            #expect(try await store.event(id: committed[1].events[1].id) == nil)
            #expect(try await store.event(id: held) != nil, "a held event survives")
            #expect(try await store.recording(id: committed[1].recording.id) != nil, "and so does its recording")
            #expect(try await store.event(id: committed[2].events[0].id) != nil, "yesterday's footage is not expired")

            // A second node that planned the same pass removes and audits nothing more.
            #expect(try await retention.applyRetention(plan, audit: audit, hash: Fixture.hash).isEmpty)
            #expect(try await store.auditEntries(actor: nil, action: "retention.delete", from: nil, to: nil).count == 1)
            // The held rows are refused by the catalog itself, whatever a plan says.
            let forced = RetentionPlan(events: candidates.events.filter(\.held), recordings: [], recordingFiles: [], keptForHolds: [])
            await #expect(throws: (any Error).self) { try await retention.applyRetention(forced, audit: [], hash: Fixture.hash) }
            #expect(try await store.event(id: held) != nil)
        },
    ]
}
