import Catalog

/// A bundle's custody log held against the catalog: every step the catalog recorded for the bundle (its
/// export, then each hand-off, matched by the manifest's SHA-256) must be in `custody.jsonl`, in order and the
/// same. A log cut back to fewer lines, or a step rewritten, is caught even though what is left still chains
/// and verifies. Lines beyond the catalog's steps are hand-offs recorded where the catalog was not at hand.
public enum CustodyCatalogCheck {
    /// The first difference, or nil when the log holds every recorded step.
    /// - Parameters:
    ///   - entries: the bundle's custody lines, in order (as `BundleVerifier` read them).
    ///   - records: the catalog's custody records (any case; those of this bundle's manifest are used).
    public static func problem(entries: [CustodyEntry], records: [CustodyRecord]) -> String? {
        guard let manifest = entries.first?.manifestSHA256 else {
            return records.isEmpty ? nil : "\(BundleLayout.custody) is empty, but the catalog records custody steps"
        }
        let recorded = records.filter { $0.manifestSHA256 == manifest }.sorted { $0.id < $1.id }
        if recorded.isEmpty { return "the catalog has no custody record of this bundle (manifest \(manifest.prefix(16))…)" }
        for (index, record) in recorded.enumerated() {
            guard index < entries.count else {
                let missing = recorded[index...].map { step in
                    "\(step.action.rawValue) by \(step.actor)\(step.recipient.map { " to \($0)" } ?? "") (catalog record \(step.id))"
                }
                return "\(BundleLayout.custody) was cut: the catalog records \(recorded.count) custody steps for this bundle, "
                    + "the log has \(entries.count); missing: " + missing.joined(separator: ", ")
            }
            let entry = entries[index]
            if entry.action != record.action || entry.by != record.actor || entry.to != record.recipient || entry.reason != record.reason {
                return "\(BundleLayout.custody) line \(index + 1) (\(entry.action.rawValue) by \(entry.by)) is not catalog record "
                    + "\(record.id) (\(record.action.rawValue) by \(record.actor)\(record.recipient.map { " to \($0)" } ?? "")): "
                    + "the log was rewritten"
            }
        }
        return nil
    }
}
