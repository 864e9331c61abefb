import Foundation

/// Which of a report's links change when it is linked again. The rule: people's decisions
/// (confirmed, rejected) are never touched; a suggested link that qualifies again gets its new
/// figures, one that no longer qualifies goes, and a link to an event not linked before is added
/// as suggested. A store reads the stored links, asks this, and writes the answer.
public struct LinkPlan: Sendable, Equatable {
    /// New suggested links.
    public var added: [EventLink]
    /// Suggested links whose score, distance, gap or reason changed (with the new figures).
    public var updated: [EventLink]
    /// Event ids of suggested links that no longer qualify.
    public var removed: [Int64]
    /// Confirmed or rejected links left as they are.
    public var kept: Int
    /// Alerts to queue with the links, in the same transaction.
    public var alerts: [NewAlert]

    public init(added: [EventLink] = [], updated: [EventLink] = [], removed: [Int64] = [], kept: Int = 0,
                alerts: [NewAlert] = []) {
        self.added = added
        self.updated = updated
        self.removed = removed
        self.kept = kept
        self.alerts = alerts
    }

    /// The changes that turn `stored` into `proposed` (both one report's links).
    public init(stored: [EventLink], proposed: [EventLink]) {
        self.init()
        let storedEvents = Set(stored.map(\.eventID))
        let proposedByEvent = Dictionary(proposed.map { ($0.eventID, $0) }, uniquingKeysWith: { first, _ in first })
        for old in stored {
            guard old.state == .suggested else {
                kept += 1
                continue
            }
            if var new = proposedByEvent[old.eventID] {
                guard new.score != old.score || new.reason != old.reason || new.distanceMetres != old.distanceMetres
                    || new.gapSeconds != old.gapSeconds else { continue }
                new.state = .suggested
                updated.append(new)
            } else {
                removed.append(old.eventID)
            }
        }
        var seen = storedEvents
        for link in proposed where seen.insert(link.eventID).inserted {
            var new = link
            new.state = .suggested
            new.decidedBy = nil
            new.decidedAt = nil
            added.append(new)
        }
    }

    /// The counts, for summaries.
    public var changes: LinkChanges {
        LinkChanges(added: added, updated: updated.count, removed: removed.count, kept: kept)
    }
}
