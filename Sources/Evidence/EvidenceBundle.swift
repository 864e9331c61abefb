import Catalog
import Foundation

/// Operations on a finished bundle that need no catalog: recording a hand-off.
public enum EvidenceBundle {
    /// What a hand-off appended.
    public struct Handoff: Sendable, Equatable {
        public var entry: CustodyEntry
        public var caseID: String
        /// SHA-256 of the bundle's manifest.json.
        public var manifestSHA256: String
        /// The events in the bundle (from metadata.json).
        public var eventIDs: [Int64]
    }

    /// Appends a signed hand-off to the bundle's custody log (folder or zip).
    ///
    /// Only an intact bundle takes a hand-off: signing a new line onto a changed bundle would make
    /// the change look accepted.
    /// - Throws: `.bundle` naming the first problem when the bundle does not verify; `.io`.
    public static func appendHandoff(bundle path: String, by: String, to: String, reason: String, time: Date = Date(),
                                     key: EvidenceSigningKey, trustedKeys: Set<String> = []) throws(EvidenceError) -> Handoff {
        let report = try BundleVerifier.verify(path: path, trustedCustodyKeys: trustedKeys)
        if let problem = report.problem {
            throw EvidenceError(.bundle, "bundle '\(path)' does not verify, so no hand-off was added: \(problem)")
        }
        let bundle = try openBundle(path)
        let manifestSHA256 = FileDigest.sha256(try bundle.data(BundleLayout.manifest))
        let log = try bundle.data(BundleLayout.custody)
        let caseID = report.caseID ?? ""
        let entry = try CustodyLog.entry(
            sequence: CustodyLog.lines(log).count + 1, time: time, action: .handoff, by: by, to: to, caseID: caseID,
            reason: reason, manifestSHA256: manifestSHA256, previousLine: CustodyLog.lines(log).last, key: key)
        try bundle.append(try CustodyLog.line(entry), to: BundleLayout.custody)
        let metadata = try? JSONDecoder().decode(EvidenceMetadata.self, from: try bundle.data(BundleLayout.metadata))
        let events = Array(Set(metadata?.items.flatMap { $0.events.map(\.id) } ?? [])).sorted()
        return Handoff(entry: entry, caseID: caseID, manifestSHA256: manifestSHA256, eventIDs: events)
    }
}
