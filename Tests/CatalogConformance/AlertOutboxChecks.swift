import Catalog
import Foundation
import Testing

/// `AlertOutboxStore`: alerts queued once, delivered in order.
enum AlertOutboxChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("alert outbox: alerts come out oldest first, each id once, until marked delivered") { store in
            try await store.queueAlerts([Fixture.alert("a"), Fixture.alert("b", log: "/other.jsonl")])
            try await store.queueAlerts([Fixture.alert("a"), Fixture.alert("c")])
            let pending = try await store.undeliveredAlerts(limit: 10)
            #expect(pending.map(\.alert) == [Fixture.alert("a"), Fixture.alert("b", log: "/other.jsonl"), Fixture.alert("c")])
            #expect(pending.map(\.sequence) == pending.map(\.sequence).sorted() && Set(pending.map(\.sequence)).count == 3)
            #expect(try await store.undeliveredAlerts(limit: 2).map(\.alert.alertID) == ["a", "b"])
            try await store.markDelivered(sequences: [pending[0].sequence, pending[2].sequence])
            try await store.markDelivered(sequences: [])
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["b"])
            // A delivered id queued again (a retried commit) is not delivered twice.
            try await store.queueAlerts([Fixture.alert("a")])
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["b"])
        },
        ConformanceCheck("alert outbox: a commit queues each new event's alerts and the recording's, atomically") { store in
            let options = CommitOptions(
                alerts: { event in [Fixture.alert("event-\(Fixture.offset(event.start))")] },
                recordingAlerts: [Fixture.alert("health")])
            _ = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(1, 2), Fixture.event(10, 12)],
                                              options: options)
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["event-1.0", "event-10.0", "health"])
            // The same content again queues nothing new.
            _ = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(1, 2)], options: options)
            #expect(try await store.undeliveredAlerts(limit: 10).count == 3)
        },
        ConformanceCheck("alert outbox: an event merged into an existing one raises no new alert") { store in
            let base = Fixture.base
            let options = CommitOptions(mergeGapSeconds: 2, alerts: { event in [Fixture.alert("event-\(event.id)")] })
            let first = try await store.commitIndexed(Fixture.recording("a"), events: [Fixture.event(55, 59.9)], options: options)
            _ = try await store.commitIndexed(Fixture.recording("b", start: base.addingTimeInterval(60)),
                                              events: [Fixture.event(0.1, 4, start: base.addingTimeInterval(60))], options: options)
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["event-\(first.events[0].id)"])
        },
    ]
}
