import Foundation

/// Incidents and citizen tips, imported by reference.
public protocol ReportStore: Sendable {
    /// Adds or updates incidents by reference, all in one transaction. A row identical to the stored
    /// one (at millisecond precision) is not written; new and changed ones are marked to be linked
    /// again (`LinkStore.reportsAwaitingLinks`) and their revision moves.
    /// - Returns: what happened to each row, in order.
    func importIncidents(_ incidents: [Incident]) async throws -> [ImportOutcome]

    /// Adds or updates tips by reference, all in one transaction, like `importIncidents`.
    func importTips(_ tips: [Tip]) async throws -> [ImportOutcome]

    /// Incidents matching the filter, by reported time (then id).
    func incidents(matching filter: ReportFilter) async throws -> [Incident]

    /// Tips matching the filter, by reported time (then id).
    func tips(matching filter: ReportFilter) async throws -> [Tip]

    /// The incident with this catalog id, if any.
    func incident(id: Int64) async throws -> Incident?

    /// The incident with this reference number, if any.
    func incident(reference: String) async throws -> Incident?
}
