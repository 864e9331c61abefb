import Catalog
import Evidence
import Foundation

extension WardWorkflows {
    /// Signs a checkpoint of the audit trail (its entry count and last hash) with the ward's key, appends it to
    /// the anchor file and queues it to the alert logs, then delivers them where this process delivers alerts.
    /// Without a signing key there is nothing to sign with: nil. The anchor file and the logs live apart from
    /// the catalog, so a trail cut back later is caught by `audit verify --anchor`.
    /// - Parameter reason: "interval", "export" or "manual".
    /// - Parameter ifChangedSince: skip (nil) when the trail still ends at this entry number.
    @discardableResult
    public func writeCheckpoint(reason: String, ifChangedSince last: Int64? = nil) async throws -> AuditCheckpoint? {
        guard let keyPath = settings.signingKeyPath else { return nil }
        let head = try await store.latestAuditEntry()
        let entries = head?.sequence ?? 0
        if let last, last == entries { return nil }
        let checkpoint: AuditCheckpoint
        do throws(EvidenceError) {
            checkpoint = try AuditCheckpoint.signed(entries: entries, lastHash: head?.hash ?? AuditEntry.genesis, at: Date(),
                                                    reason: reason, key: try EvidenceSigningKey.load(from: keyPath))
            if let anchor = settings.anchorPath { try AuditAnchor.append(checkpoint, to: anchor) }
        } catch {
            throw WorkflowError(.failed, "the audit checkpoint was not written", cause: error)
        }
        try await store.queueAlerts(settings.checkpointAlerts(checkpoint))
        try await deliverAlerts?()
        return checkpoint
    }

    /// Writes a checkpoint every `seconds` while the trail grows, until the task is cancelled (`serve`, `run`).
    /// A failure is passed to `failed` and retried at the next interval.
    public func writeCheckpoints(every seconds: Double, failed: @Sendable (any Error) -> Void) async {
        guard seconds > 0 else { return }
        var last: Int64?
        while !Task.isCancelled {
            do {
                if let written = try await writeCheckpoint(reason: "interval", ifChangedSince: last) { last = written.entries }
            } catch {
                failed(error)
            }
            try? await Task.sleep(for: .milliseconds(Int64(millisecondsOf: seconds)))
        }
    }
}
