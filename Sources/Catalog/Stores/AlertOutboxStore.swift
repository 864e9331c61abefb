import Foundation

/// Alerts waiting to be written to their JSON-lines logs (the outbox of "exactly once").
public protocol AlertOutboxStore: Sendable {
    /// Queues alerts that belong to no commit (a camera gone silent). Ids already queued are ignored.
    func queueAlerts(_ alerts: [NewAlert]) async throws

    /// Alerts not yet written to their log files, oldest first.
    func undeliveredAlerts(limit: Int) async throws -> [PendingAlert]

    /// Marks alerts as written (after their lines were fsynced).
    func markDelivered(sequences: [Int64]) async throws
}
