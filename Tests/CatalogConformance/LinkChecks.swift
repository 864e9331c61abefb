import Catalog
import Foundation
import Testing

/// `LinkStore`: what linking still has to do, and links saved as the domain's `LinkPlan` says.
enum LinkChecks {
    static func link(_ subject: LinkSubject, _ event: MotionEvent, score: Double, reason: String = "near") -> EventLink {
        EventLink(kind: subject.kind, reportID: subject.id, eventID: event.id, camera: event.camera, score: score,
                  distanceMetres: 120, gapSeconds: 30, reason: reason)
    }

    static let resolution = PlaceResolution(precision: .street, cameras: ["CAM01"], point: GeoPoint(latitude: 10.77, longitude: 106.69))

    static let all: [ConformanceCheck] = [
        ConformanceCheck("links: new and changed reports await links until saved; the subject carries kind, status and revision") { store in
            _ = try await store.importIncidents([Fixture.incident("INC-1", at: 0, text: "Hàng Gai"),
                                                 Fixture.incident("INC-2", at: 0, status: .closed)])
            _ = try await store.importTips([Fixture.tip("T-1", at: 0)])
            let waiting = try await store.reportsAwaitingLinks(limit: 10)
            #expect(waiting.map(\.reference) == ["INC-1", "INC-2", "T-1"])
            #expect(waiting.map(\.kind) == [.incident, .incident, .tip])
            #expect(waiting.map(\.status) == [.open, .closed, nil])
            #expect(waiting[0].label == "theft" && waiting[2].label == "zalo" && waiting[0].place.text == "Hàng Gai")
            #expect(try await store.reportsAwaitingLinks(limit: 1).count == 1)
            try await store.saveLinks(for: waiting[0], resolution: resolution) { _ in LinkPlan() }
            #expect(try await store.reportsAwaitingLinks(limit: 10).map(\.reference) == ["INC-2", "T-1"])
            #expect(try await store.incident(reference: "INC-1")?.resolution == resolution)
            // Changed after it was read: the save keeps the mark, so the newer version is linked too.
            var changed = Fixture.incident("INC-2", at: 5, status: .closed)
            changed.description = "changed"
            _ = try await store.importIncidents([changed])
            try await store.saveLinks(for: waiting[1], resolution: resolution) { _ in LinkPlan() }
            let again = try await store.reportsAwaitingLinks(limit: 10)
            #expect(again.map(\.reference) == ["INC-2", "T-1"])
            #expect(again[0].revision != waiting[1].revision)
        },
        ConformanceCheck("links: saving writes exactly the plan, hands the stored links to it, and queues its alerts") { store in
            let events = try await store.commitIndexed(Fixture.recording("a"),
                                                       events: [Fixture.event(1, 2), Fixture.event(10, 12), Fixture.event(20, 22)]).events
            _ = try await store.importIncidents([Fixture.incident("INC-1", at: 0)])
            let subject = try #require(try await store.reportsAwaitingLinks(limit: 1).first)
            let added = try await store.saveLinks(for: subject, resolution: resolution) { stored in
                #expect(stored.isEmpty)
                return LinkPlan(added: events.map { link(subject, $0, score: 0.5) }, alerts: [Fixture.alert("link-1")])
            }
            #expect(added.added.count == 3)
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["link-1"])
            var linked = try await store.linkedEvents(kind: .incident, reportID: subject.id)
            #expect(linked.map(\.event) == events && linked.allSatisfy { $0.link.state == .suggested && $0.recordingPath == "/footage/a.mp4" })
            #expect(linked[0].link == link(subject, events[0], score: 0.5))

            // People decide two; then a plan updates one suggestion and removes another.
            #expect(try await store.decideLink(kind: .incident, reportID: subject.id, eventID: events[0].id, state: .confirmed, by: "chi"))
            #expect(try await store.decideLink(kind: .incident, reportID: subject.id, eventID: events[1].id, state: .rejected, by: "chi"))
            #expect(try await !store.decideLink(kind: .tip, reportID: subject.id, eventID: events[1].id, state: .rejected, by: "chi"))
            #expect(try await !store.decideLink(kind: .incident, reportID: subject.id, eventID: 999_999, state: .rejected, by: "chi"))
            try await store.saveLinks(for: subject, resolution: resolution) { stored in
                #expect(stored.count == 3)
                #expect(stored.first { $0.eventID == events[0].id }.map { [$0.state.rawValue, $0.decidedBy ?? ""] } == ["confirmed", "chi"])
                return LinkPlan(updated: [link(subject, events[2], score: 0.9, reason: "closer")])
            }
            linked = try await store.linkedEvents(kind: .incident, reportID: subject.id)
            // Best score first.
            #expect(linked.map(\.event.id) == [events[2].id, events[0].id, events[1].id])
            #expect(linked[0].link.score == 0.9 && linked[0].link.reason == "closer")
            #expect(linked[1].link.decidedBy == "chi" && linked[1].link.decidedAt != nil)
            try await store.saveLinks(for: subject, resolution: resolution) { _ in LinkPlan(removed: [events[2].id]) }
            #expect(try await store.linkedEvents(kind: .incident, reportID: subject.id).map(\.event.id) == [events[0].id, events[1].id])
            #expect(try await store.linkedEvents(kind: .tip, reportID: subject.id).isEmpty)
        },
        ConformanceCheck("links: reports overlapping a period, widened by a margin, are the subjects a recording concerns") { store in
            _ = try await store.importIncidents([Fixture.incident("EARLY", at: 0), Fixture.incident("LATE", at: 120)])
            let from = Fixture.base.addingTimeInterval(10 * 60), to = Fixture.base.addingTimeInterval(20 * 60)
            #expect(try await store.linkSubjects(overlappingFrom: from, to: to, marginSeconds: 0).isEmpty)
            #expect(try await store.linkSubjects(overlappingFrom: from, to: to, marginSeconds: 900).map(\.reference) == ["EARLY"])
            #expect(try await store.linkSubjects(overlappingFrom: from, to: to, marginSeconds: 6000).map(\.reference) == ["EARLY", "LATE"])
        },
        ConformanceCheck("links: recordings committed while reports exist wait for linking until marked") { store in
            _ = try await store.commitIndexed(Fixture.recording("before"), events: [])
            #expect(try await store.recordingsAwaitingLinks(limit: 10).isEmpty)
            _ = try await store.importIncidents([Fixture.incident("INC-1", at: 0)])
            let a = try await store.commitIndexed(Fixture.recording("a", start: Fixture.base.addingTimeInterval(60)), events: [])
            let b = try await store.commitIndexed(Fixture.recording("b", start: Fixture.base.addingTimeInterval(120)), events: [])
            #expect(try await store.recordingsAwaitingLinks(limit: 10).map(\.id) == [a.recording.id, b.recording.id])
            #expect(try await store.recordingsAwaitingLinks(limit: 1).map(\.id) == [a.recording.id])
            try await store.markRecordingsLinked([a.recording.id])
            try await store.markRecordingsLinked([])
            #expect(try await store.recordingsAwaitingLinks(limit: 10).map(\.id) == [b.recording.id])
        },
    ]
}
