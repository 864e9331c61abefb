import Foundation

/// Motion that runs across the boundary of two files of one camera (or through two overlapping
/// files) is one event, not two. This is the rule; a store only fetches the neighbours it asks for
/// and writes what it decides.
public struct EventMerge: Sendable, Equatable {
    /// Events this close (seconds) may be one event, when one of them touches its file's edge.
    public var gapSeconds: Double

    public init(gapSeconds: Double) {
        self.gapSeconds = gapSeconds
    }

    /// A stored event of another recording of the same camera, with that recording's bounds.
    public struct Neighbour: Sendable, Equatable {
        public var event: MotionEvent
        public var recordingStart: Date
        public var recordingEnd: Date

        public init(event: MotionEvent, recordingStart: Date, recordingEnd: Date) {
            self.event = event
            self.recordingStart = recordingStart
            self.recordingEnd = recordingEnd
        }
    }

    /// What to write for one new event.
    public enum Placement: Sendable, Equatable {
        /// Store it as a new event of the new recording.
        case insert(NewMotionEvent)
        /// Rewrite the existing event with this id in place with these values. When
        /// `anchoredInNewRecording` is true the event now starts in the new recording, so its
        /// recording becomes the new one (`recordingID` in `event` is then to be replaced).
        case update(MotionEvent, anchoredInNewRecording: Bool)
    }

    /// The closed time range in which stored events can merge with any of `events`; nil when none can.
    public func window(for events: [NewMotionEvent]) -> (from: Date, to: Date)? {
        let gap = Self.millis(gapSeconds)
        guard gap > 0, let first = events.map({ Self.millis($0.start) }).min(),
              let last = events.map({ Self.millis($0.end) }).max() else { return nil }
        return (Self.date(first - gap), Self.date(last + gap))
    }

    /// Decides, event by event and in order, whether each new event is stored or folded into a
    /// neighbour: the first neighbour (by start, then id) within the gap, where the new event or the
    /// neighbour touches its file's edge. The merged event keeps the existing id, spans both, keeps
    /// the stronger peak and its still, and stays anchored in the recording where it starts. A
    /// neighbour that moves to the new recording is no longer a candidate for later events.
    /// - Parameters:
    ///   - recordingStart, recordingEnd: the new recording's bounds.
    ///   - neighbours: the camera's stored events of other recordings within `window(for:)`.
    public func place(_ events: [NewMotionEvent], recordingStart: Date, recordingEnd: Date,
                      neighbours: [Neighbour]) -> [Placement] {
        let gap = Self.millis(gapSeconds)
        guard gap > 0 else { return events.map(Placement.insert) }
        var candidates = neighbours.sorted { (Self.millis($0.event.start), $0.event.id) < (Self.millis($1.event.start), $1.event.id) }
        let firstMillis = Self.millis(recordingStart), lastMillis = Self.millis(recordingEnd)
        var placements: [Placement] = []
        for event in events {
            let start = Self.millis(event.start), end = Self.millis(event.end)
            let touchesEdge = start - firstMillis <= gap || lastMillis - end <= gap
            guard let index = candidates.firstIndex(where: { other in
                let otherStart = Self.millis(other.event.start), otherEnd = Self.millis(other.event.end)
                guard otherStart <= end + gap, otherEnd >= start - gap else { return false }
                let otherTouches = otherStart - Self.millis(other.recordingStart) <= gap
                    || Self.millis(other.recordingEnd) - otherEnd <= gap
                return touchesEdge || otherTouches
            }) else {
                placements.append(.insert(event))
                continue
            }
            let existing = candidates[index].event
            let anchorIsNew = start < Self.millis(existing.start)
            let merged = merge(existing, event)
            placements.append(.update(merged, anchoredInNewRecording: anchorIsNew))
            if anchorIsNew {
                candidates.remove(at: index)
            } else {
                candidates[index].event = merged
            }
        }
        return placements
    }

    /// `existing` widened to cover `event`: the existing id, the stronger peak and its still.
    func merge(_ existing: MotionEvent, _ event: NewMotionEvent) -> MotionEvent {
        let strongerNew = event.peakScore > existing.peakScore
        let anchorIsNew = Self.millis(event.start) < Self.millis(existing.start)
        let a = existing.boundingBox, b = event.boundingBox
        var merged = existing
        merged.start = min(existing.start, event.start)
        merged.end = max(existing.end, event.end)
        if anchorIsNew { merged.offsetSeconds = event.offsetSeconds }
        merged.clipStart = min(existing.clipStart, event.clipStart)
        merged.clipEnd = max(existing.clipEnd, event.clipEnd)
        merged.peakTime = strongerNew ? event.peakTime : existing.peakTime
        merged.peakScore = max(existing.peakScore, event.peakScore)
        merged.meanScore = (existing.meanScore + event.meanScore) / 2
        merged.area = max(existing.area, event.area)
        merged.boundingBox = NormalizedBox(
            x: min(a.x, b.x), y: min(a.y, b.y),
            width: max(a.x + a.width, b.x + b.width) - min(a.x, b.x),
            height: max(a.y + a.height, b.y + b.height) - min(a.y, b.y))
        merged.still = strongerNew ? event.still : existing.still
        // Where it moved: both footprints; both paths in time order, counted from the merged start.
        if let other = event.footprint {
            if merged.footprint == nil { merged.footprint = other } else { merged.footprint!.formUnion(other) }
        }
        let shiftExisting = existing.start.timeIntervalSince(merged.start), shiftNew = event.start.timeIntervalSince(merged.start)
        merged.path = (existing.path.map { TravelPoint(seconds: $0.seconds + shiftExisting, x: $0.x, y: $0.y) }
            + event.path.map { TravelPoint(seconds: $0.seconds + shiftNew, x: $0.x, y: $0.y) })
            .sorted { $0.seconds < $1.seconds }
        return merged
    }

    /// Catalog times are exact to the millisecond; the rule compares them at that precision.
    static func millis(_ seconds: Double) -> Int64 { Int64(millisecondsOf: seconds) }
    static func millis(_ date: Date) -> Int64 { millis(date.timeIntervalSince1970) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
