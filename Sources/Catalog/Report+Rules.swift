import Foundation

// MARK: - The "identical imported row" rule
//
// An import writes a report only when it differs from the stored one. Stores keep times to the
// millisecond, so the rule compares at that precision: a row read back compares equal to what was
// imported, on every backend, and the stores only fetch and write.

extension Date {
    /// The instant as a catalog stores it: whole milliseconds since 1970 (saturating).
    public var atCatalogPrecision: Date { Date(timeIntervalSince1970: Double(Int64(millisecondsSince1970: self)) / 1000) }
}

extension ReportedTime {
    /// The window as a catalog stores it (see `Date.atCatalogPrecision`).
    public var atCatalogPrecision: ReportedTime {
        var copy = self
        copy.start = start.atCatalogPrecision
        copy.end = end.atCatalogPrecision
        copy.approximate = approximate?.atCatalogPrecision
        return copy
    }
}

/// A report as an import writes it. Two are the same report when every field an import can change (all but
/// the catalog's own id and resolution) is equal as a catalog stores it, times to the millisecond.
public protocol ImportedReport: Equatable {
    /// The fields an import can change, at the catalog's precision.
    var importedFields: Self { get }
}

extension ImportedReport {
    /// Whether importing `other` over this stored report would change nothing.
    public func sameReport(as other: Self) -> Bool { importedFields == other.importedFields }
}

extension Incident: ImportedReport {
    public var importedFields: Incident {
        var copy = self
        (copy.id, copy.resolution, copy.time, copy.reportedAt) = (0, nil, time.atCatalogPrecision, reportedAt?.atCatalogPrecision)
        return copy
    }
}

extension Tip: ImportedReport {
    public var importedFields: Tip {
        var copy = self
        (copy.id, copy.resolution, copy.time, copy.receivedAt) = (0, nil, time.atCatalogPrecision, receivedAt?.atCatalogPrecision)
        return copy
    }
}

// MARK: - Listing

extension ReportFilter {
    /// The incidents a store matched on everything else that also have the filter's category (compared folded:
    /// case and diacritics ignored), at most `limit`.
    public func finished(_ incidents: [Incident]) -> [Incident] {
        let category = self.category.map(PlaceText.fold)
        return Array(incidents.filter { incident in category.map { $0 == PlaceText.fold(incident.category) } ?? true }
            .prefix(limit ?? .max))
    }

    /// The tips a store matched, at most `limit`.
    public func finished(_ tips: [Tip]) -> [Tip] { Array(tips.prefix(limit ?? .max)) }
}
