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
        return try await intake(incidents.map(\.reference), store: { try await $0.importIncidents(incidents) },
                                stored: { try await $0.incidents(matching: ReportFilter()).map { ($0.id, $0.reference, $0.resolution) } })
    }

    /// - Throws: `ImportProblems` (nothing stored) or a catalog error.
    public func importTips(_ rows: [ImportRow], file: String) async throws -> ImportReport {
        let tips = try ReportImport(timeZone: timeZone).tips(rows, file: file)
        return try await intake(tips.map(\.reference), store: { try await $0.importTips(tips) },
                                stored: { try await $0.tips(matching: ReportFilter()).map { ($0.id, $0.reference, $0.resolution) } })
    }

    /// Stores the checked rows, links what is new or changed, and lists the places that matched nothing.
    private func intake(
        _ references: [String], store: (any LinkingStore) async throws -> [ImportOutcome],
        stored: (any LinkingStore) async throws -> [(id: Int64, reference: String, resolution: PlaceResolution?)]
    ) async throws -> ImportReport {
        let outcomes = try await store(linker.store)
        let summary = try await linker.linkAwaitingReports()
        let ids = Set(outcomes.map(\.id))
        let unresolved = try await stored(linker.store).filter { ids.contains($0.id) && $0.resolution?.isUnresolved == true }
            .map { ImportReport.Unresolved(reference: $0.reference, place: $0.resolution?.unresolvedText ?? "") }
        return ImportReport(references: references, outcomes: outcomes, linksAdded: summary.added, unresolved: unresolved)
    }
}
