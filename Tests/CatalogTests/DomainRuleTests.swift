import Catalog
import Foundation
import Testing

@Suite("Domain rules the stores apply: link plans and merges across files")
struct DomainRuleTests {
    static let base = Date(timeIntervalSince1970: 1_720_600_200)

    func link(_ event: Int64, score: Double = 0.5, state: LinkState = .suggested) -> EventLink {
        EventLink(kind: .incident, reportID: 1, eventID: event, camera: "CAM01", score: score, distanceMetres: 10, gapSeconds: 0,
                  reason: "r", state: state, decidedBy: state == .suggested ? nil : "chi")
    }

    @Test("a link plan keeps decisions, updates changed suggestions, drops stale ones and adds new ones once")
    func linkPlan() {
        let stored = [link(1, state: .confirmed), link(2, state: .rejected), link(3), link(4), link(5)]
        let proposed = [link(1, score: 0.9), link(3, score: 0.7), link(4), link(6), link(6, score: 0.1)]
        let plan = LinkPlan(stored: stored, proposed: proposed)
        #expect(plan.kept == 2)
        #expect(plan.updated.map(\.eventID) == [3] && plan.updated[0].score == 0.7)
        #expect(plan.removed == [5])
        #expect(plan.added.map(\.eventID) == [6] && plan.added[0].state == .suggested && plan.added[0].decidedBy == nil)
        #expect(plan.changes == LinkChanges(added: plan.added, updated: 1, removed: 1, kept: 2))
        #expect(LinkPlan(stored: [], proposed: []) == LinkPlan())
    }

    func event(_ id: Int64, _ from: Double, _ to: Double, peak: Double = 1, recording: Int64 = 7) -> MotionEvent {
        MotionEvent(id: id, camera: "CAM01", recordingID: recording, start: Self.base.addingTimeInterval(from),
                    end: Self.base.addingTimeInterval(to), offsetSeconds: from, clipStart: Self.base.addingTimeInterval(from),
                    clipEnd: Self.base.addingTimeInterval(to), peakTime: Self.base.addingTimeInterval(from), peakScore: peak,
                    meanScore: 0.5, area: 0.1, boundingBox: NormalizedBox(x: 0.5, y: 0.5, width: 0.1, height: 0.1), still: "old.jpg")
    }

    func new(_ from: Double, _ to: Double, peak: Double = 1, offset: Double = 0) -> NewMotionEvent {
        NewMotionEvent(start: Self.base.addingTimeInterval(from), end: Self.base.addingTimeInterval(to), offsetSeconds: offset,
                       clipStart: Self.base.addingTimeInterval(from), clipEnd: Self.base.addingTimeInterval(to),
                       peakTime: Self.base.addingTimeInterval(from), peakScore: peak, meanScore: 1, area: 0.2,
                       boundingBox: NormalizedBox(x: 0.1, y: 0.1, width: 0.1, height: 0.1), still: "new.jpg")
    }

    @Test("an event at a file's edge merges into the neighbour within the gap; the stronger peak wins; a real gap does not merge")
    func mergeAtBoundary() throws {
        let merge = EventMerge(gapSeconds: 2)
        // The neighbour ran to the end of its file (0–60 s); the new file starts at 60 s.
        let neighbour = EventMerge.Neighbour(event: event(9, 55, 59.9), recordingStart: Self.base,
                                             recordingEnd: Self.base.addingTimeInterval(60))
        let start = Self.base.addingTimeInterval(60), end = Self.base.addingTimeInterval(120)
        let placed = merge.place([new(60.1, 64, peak: 3, offset: 0.1), new(90, 95)], recordingStart: start, recordingEnd: end,
                                 neighbours: [neighbour])
        guard case let .update(merged, anchored) = placed[0] else { Issue.record("not merged: \(placed)"); return }
        #expect(!anchored && merged.id == 9 && merged.recordingID == 7)
        #expect(merged.start == Self.base.addingTimeInterval(55) && merged.end == Self.base.addingTimeInterval(64))
        #expect(merged.peakScore == 3 && merged.still == "new.jpg" && merged.area == 0.2 && merged.meanScore == 0.75)
        #expect(merged.boundingBox == NormalizedBox(x: 0.1, y: 0.1, width: 0.5, height: 0.5))
        #expect(placed[1] == .insert(new(90, 95)))
        // 30 s later: apart.
        let later = merge.place([new(90, 95)], recordingStart: Self.base.addingTimeInterval(90), recordingEnd: end,
                                neighbours: [neighbour])
        #expect(later == [.insert(new(90, 95))])
        // No gap, no merging, no window.
        #expect(EventMerge(gapSeconds: 0).window(for: [new(1, 2)]) == nil)
        let window = try #require(merge.window(for: [new(10, 12), new(1, 3)]))
        #expect(window.from == Self.base.addingTimeInterval(-1) && window.to == Self.base.addingTimeInterval(14))
    }

    @Test("an event that starts earlier in an overlapping file moves the merged event's anchor to the new recording")
    func mergeMovesAnchor() {
        let merge = EventMerge(gapSeconds: 2)
        let neighbour = EventMerge.Neighbour(event: event(4, 200, 202), recordingStart: Self.base.addingTimeInterval(200),
                                             recordingEnd: Self.base.addingTimeInterval(260))
        let placed = merge.place([new(199.5, 202.5, offset: 9.5), new(201, 202)], recordingStart: Self.base.addingTimeInterval(190),
                                 recordingEnd: Self.base.addingTimeInterval(250), neighbours: [neighbour])
        guard case let .update(merged, anchored) = placed.first else { Issue.record("not merged: \(placed)"); return }
        #expect(anchored && merged.offsetSeconds == 9.5 && merged.start == Self.base.addingTimeInterval(199.5))
        // Once it belongs to the new recording it is no neighbour for the next event.
        #expect(placed.count == 2 && placed[1] == .insert(new(201, 202)))
    }
}
