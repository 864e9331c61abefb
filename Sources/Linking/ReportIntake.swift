import Catalog
import Foundation

/// The whole way in for incidents and tips, for the command line and the HTTP API alike: check
/// every row, store the file in one transaction (all or nothing), link what is new or changed, and
/// say which places matched nothing.
public struct ReportIntake: Sendable {
    public let linker: Linker
    public let timeZone: TimeZone

    public init(linker: Linker, timeZone: TimeZone) {
        self.linker = linker
        self.timeZone = timeZone
    }

    /// - Throws: `ImportProblems` (nothing stored) or a catalog error.
    public func importIncidents(_ rows: [ImportRow], file: String) async throws -> ImportReport {
        let incidents = try ReportImport(timeZone: timeZone).incidents(rows, file: file)
        let outcomes = try await linker.store.importIncidents(incidents)
        let summary = try await linker.linkAwaitingReports()
        let ids = Set(outcomes.map(\.id))
        let unresolved = try await linker.store.incidents(matching: ReportFilter()).filter { ids.contains($0.id) && $0.resolution?.isUnresolved == true }
            .map { ImportReport.Unresolved(reference: $0.reference, place: $0.resolution?.unresolvedText ?? "") }
        return ImportReport(references: incidents.map(\.reference), outcomes: outcomes, linksAdded: summary.added, unresolved: unresolved)
    }

    /// - Throws: `ImportProblems` (nothing stored) or a catalog error.
    public func importTips(_ rows: [ImportRow], file: String) async throws -> ImportReport {
        let tips = try ReportImport(timeZone: timeZone).tips(rows, file: file)
        let outcomes = try await linker.store.importTips(tips)
        let summary = try await linker.linkAwaitingReports()
        let ids = Set(outcomes.map(\.id))
        let unresolved = try await linker.store.tips(matching: ReportFilter()).filter { ids.contains($0.id) && $0.resolution?.isUnresolved == true }
            .map { ImportReport.Unresolved(reference: $0.reference, place: $0.resolution?.unresolvedText ?? "") }
        return ImportReport(references: tips.map(\.reference), outcomes: outcomes, linksAdded: summary.added, unresolved: unresolved)
    }
}
