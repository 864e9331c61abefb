import Catalog
import Foundation
import PostgresNIO

// MARK: - Alert outbox: one drainer across nodes
//
// Every node queues alert rows in the transaction that commits what they report (`ON CONFLICT (alert_id) DO
// NOTHING`, so a retried or duplicated commit queues nothing twice). Only one node writes the lines: the one that
// holds the session advisory lock `LockKey.alertDrainer`, taken on a connection it keeps for that purpose. To every
// other node the outbox reads empty. When the drainer dies, PostgreSQL ends its session and releases the lock, and
// the next node to try (each tries every heartbeat) takes over, starting from the first row not marked delivered.
// A line written but not yet marked delivered when the drainer died is written again by its successor only if it
// is not already in the log's tail (the writer checks), so each line appears once.

extension PostgresCatalog {
    /// Whether this node is the one writing alert lines now.
    public var isAlertDrainer: Bool { drainer.withLock { $0 } }

    /// Starts campaigning for the drainer's lock (idempotent), and waits up to `wait` for the first result.
    @discardableResult
    public func campaignForAlerts(wait: Duration = .seconds(2)) async -> Bool {
        let started: Bool = election.withLock { task in
            guard task == nil else { return false }
            task = Task { await self.campaign() }
            return true
        }
        _ = started
        let deadline = ContinuousClock.now + wait
        while !isAlertDrainer, !campaignTried.withLock({ $0 }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isAlertDrainer
    }

    /// Holds one connection for the node's life and tries for the lock on it every heartbeat.
    private func campaign() async {
        let key = LockKey.alertDrainer.rawValue
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    defer { drainer.withLock { $0 = false } }
                    do {
                        while !Task.isCancelled {
                            if !isAlertDrainer {
                                let won = try await rows("SELECT pg_try_advisory_lock(\(key)) AS won", on: connection)[0]
                                    .get("won", as: Bool.self)
                                if won {
                                    drainer.withLock { $0 = true }
                                    try await rows("UPDATE node SET drains_alerts = (id = \(settings.nodeID))")
                                    logger.notice("this node writes the alert lines", metadata: ["node.id": "\(settings.nodeID)"])
                                }
                            } else {
                                // The lock lives as long as this session: check that it is still there.
                                _ = try await rows("SELECT 1", on: connection)
                            }
                            campaignTried.withLock { $0 = true }
                            try await Task.sleep(for: .milliseconds(Int(settings.heartbeatSeconds * 1000)))
                        }
                    } catch {
                        if isAlertDrainer { _ = try? await rows("SELECT pg_advisory_unlock_all()", on: connection) }
                        throw error
                    }
                    if isAlertDrainer { _ = try? await rows("SELECT pg_advisory_unlock_all()", on: connection) }
                }
            } catch {
                campaignTried.withLock { $0 = true }
                if Task.isCancelled { break }
                logger.warning("alert drainer election interrupted", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Alerts not yet written, oldest first — empty unless this node is the drainer.
    public func undeliveredAlerts(limit: Int) async throws(CatalogError) -> [PendingAlert] {
        guard await campaignForAlerts() else { return [] }
        return try await call {
            try await rows("""
                SELECT * FROM alert_outbox WHERE delivered_ms IS NULL ORDER BY sequence LIMIT \(limit)
                """).map {
                PendingAlert(sequence: try $0.get("sequence"), alert: NewAlert(
                    alertID: try $0.get("alert_id"), rule: try $0.get("rule"), log: try $0.get("log_path"), line: try $0.get("line")))
            }
        }
    }

    public func markDelivered(sequences: [Int64]) async throws(CatalogError) {
        guard !sequences.isEmpty else { return }
        try await call {
            try await rows("UPDATE alert_outbox SET delivered_ms = \(Self.now) WHERE sequence = ANY(\(sequences)) AND delivered_ms IS NULL")
        }
    }
}
