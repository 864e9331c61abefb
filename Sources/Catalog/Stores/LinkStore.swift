import Foundation

/// Links between reports and events, and the marks that say what linking still has to look at.
public protocol LinkStore: Sendable {
    /// Reports that are new or changed since they were last linked, oldest first.
    func reportsAwaitingLinks(limit: Int) async throws -> [LinkSubject]

    /// Reports whose time, widened by `marginSeconds` on both sides, overlaps [from, to).
    func linkSubjects(overlappingFrom from: Date, to: Date, marginSeconds: Double) async throws -> [LinkSubject]

    /// Saves one report's links, in one transaction: reads the report's stored links, hands them to
    /// `plan` (the domain's `LinkPlan` decides what changes), and writes exactly that — `added` as
    /// suggested links, new figures for `updated`, `removed` deleted — and queues `alerts`. Stores the
    /// report's place resolution and clears its "awaiting links" mark unless the report changed
    /// since `subject` was read (its revision moved). Two saves of one report must not interleave
    /// (a server database locks the report's row first), or one could drop the other's suggestion.
    /// - Returns: the plan that was written.
    @discardableResult
    func saveLinks(for subject: LinkSubject, resolution: PlaceResolution,
                   plan: @escaping @Sendable (_ stored: [EventLink]) -> LinkPlan) async throws -> LinkPlan

    /// A report's links with their events, best score first (then smallest gap, then event id).
    func linkedEvents(kind: ReportKind, reportID: Int64) async throws -> [LinkedEvent]

    /// Confirms or rejects a link; returns false when the report has no link to that event.
    func decideLink(kind: ReportKind, reportID: Int64, eventID: Int64, state: LinkState, by person: String) async throws -> Bool

    /// Recordings committed while reports existed and not yet looked at by linking, oldest first.
    func recordingsAwaitingLinks(limit: Int) async throws -> [Recording]

    /// Marks recordings as looked at by linking.
    func markRecordingsLinked(_ ids: [Int64]) async throws
}
