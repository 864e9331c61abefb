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

extension Incident {
    /// What an import can change (everything but the catalog's own id and resolution), as a catalog stores it.
    var importedFields: Incident {
        var copy = self
        (copy.id, copy.resolution) = (0, nil)
        copy.time = time.atCatalogPrecision
        copy.reportedAt = reportedAt?.atCatalogPrecision
        return copy
    }

    /// Whether importing `other` over this stored incident would change nothing, at the catalog's precision.
    public func sameReport(as other: Incident) -> Bool { importedFields == other.importedFields }
}

extension Tip {
    /// What an import can change (everything but the catalog's own id and resolution), as a catalog stores it.
    var importedFields: Tip {
        var copy = self
        (copy.id, copy.resolution) = (0, nil)
        copy.time = time.atCatalogPrecision
        copy.receivedAt = receivedAt?.atCatalogPrecision
        return copy
    }

    /// Whether importing `other` over this stored tip would change nothing, at the catalog's precision.
    public func sameReport(as other: Tip) -> Bool { importedFields == other.importedFields }
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
