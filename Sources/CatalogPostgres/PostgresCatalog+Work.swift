import Catalog
import Foundation
import PostgresNIO

// MARK: - Daemon work state, claims and nodes
//
// Several indexer nodes scan the same folders. A node takes a file with a claim: the row is locked with
// `FOR UPDATE SKIP LOCKED` (two nodes never wait on each other, and never both win), marked `indexing` with the
// node's id and a lease. A live node renews its leases with its heartbeat; when a node dies, its leases run out
// and the file reads as pending again, so the next node that scans it claims it (the dead node's attempt is not
// counted). What makes a file "indexed once" is the recording's content fingerprint: the commit inserts the
// recording under a unique fingerprint, in the same transaction as the claim's completion, its events and alerts.

extension PostgresCatalog {
    public func sourceFile(path: String) async throws(CatalogError) -> SourceFile? {
        try await call {
            try await rows("SELECT *, \(Self.now) AS now FROM source_file WHERE path = \(stored(path))").first.map { row in
                var state = SourceFile.State(rawValue: try row.get("state")) ?? .pending
                // A claim whose lease ran out (its node died) is work waiting for a node.
                if state == .indexing, let lease = try row.get("lease_until_ms", as: Int64?.self), lease < (try row.get("now", as: Int64.self)) {
                    state = .pending
                }
                return SourceFile(path: local(try row.get("path")), camera: try row.get("camera_id"), sizeBytes: try row.get("size_bytes"),
                                  modified: Self.date(try row.get("modified_ms")), state: state, reason: try row.get("reason"),
                                  attempts: try row.get("attempts"), recordingID: try row.get("recording_id"))
                    .counting(crashes: try row.get("crashes"))
            }
        }
    }

    public func notePending(path: String, camera: String, sizeBytes: Int64, modified: Date) async throws(CatalogError) {
        try await call {
            let now = Self.now
            // A file another node holds under a live lease is left alone.
            try await rows("""
                INSERT INTO source_file (path, camera_id, size_bytes, modified_ms, state, attempts, first_seen_ms, updated_ms)
                VALUES (\(stored(path)), \(camera), \(sizeBytes), \(Self.millis(modified)), 'pending', 0, \(now), \(now))
                ON CONFLICT (path) DO UPDATE SET camera_id = excluded.camera_id, size_bytes = excluded.size_bytes,
                    modified_ms = excluded.modified_ms, state = 'pending', reason = NULL, attempts = 0,
                    recording_id = NULL, updated_ms = excluded.updated_ms, claimed_by = NULL, lease_until_ms = NULL, crashes = 0
                WHERE source_file.state <> 'indexing' OR source_file.lease_until_ms < \(now)
                """)
        }
    }

    /// Claims the file for this node and counts the attempt; returns the attempt number.
    /// - Throws: `CatalogError(.busy)` when another node holds it under a live lease, or has indexed it.
    public func markIndexing(path: String) async throws(CatalogError) -> Int {
        let node = settings.nodeID
        let lease = Int64(settings.leaseSeconds * 1000)
        return try await call {
            try await transaction { connection in
                let now = Self.now
                let free = try await rows("""
                    SELECT state, claimed_by, attempts FROM source_file
                    WHERE path = \(stored(path))
                        AND (state IN ('pending', 'failed') OR claimed_by = \(node) OR lease_until_ms < \(now) OR claimed_by IS NULL)
                        AND state <> 'indexed'
                    FOR UPDATE SKIP LOCKED
                    """, on: connection)
                guard let row = free.first else {
                    throw CatalogError(.busy, "'\(path)' is claimed by another node or indexed already")
                }
                // Taking over a dead node's claim: its interrupted attempt does not count against the file.
                let takeover = try row.get("state", as: String.self) == "indexing"
                let attempts = try row.get("attempts", as: Int.self) + (takeover ? 0 : 1)
                // A dead node's claim is a crash while holding the file: counted (see `recoverCrashedWork`).
                try await execute("""
                    UPDATE source_file SET state = 'indexing', attempts = \(attempts), claimed_by = \(node),
                        lease_until_ms = \(now + lease), updated_ms = \(now), crashes = crashes + \(takeover ? 1 : 0)
                    WHERE path = \(stored(path))
                    """, on: connection)
                return max(attempts, 1)
            }
        }
    }

    /// Claims up to `limit` pending files (or files whose lease ran out) for this node, oldest first; two nodes
    /// calling at once get different files.
    public func claimPending(limit: Int, cameras: [String]? = nil) async throws(CatalogError) -> [SourceFile] {
        let node = settings.nodeID
        let lease = Int64(settings.leaseSeconds * 1000)
        return try await call {
            try await transaction { connection in
                let now = Self.now
                let claimed = try await rows("""
                    WITH free AS (
                        SELECT path FROM source_file
                        WHERE (state = 'pending' OR (state = 'indexing' AND lease_until_ms < \(now)))
                            AND (\(cameras == nil) OR camera_id = ANY(\(cameras ?? [])))
                        ORDER BY first_seen_ms, path
                        LIMIT \(limit)
                        FOR UPDATE SKIP LOCKED)
                    UPDATE source_file s SET
                        attempts = CASE WHEN s.state = 'indexing' THEN s.attempts ELSE s.attempts + 1 END,
                        crashes = CASE WHEN s.state = 'indexing' THEN s.crashes + 1 ELSE s.crashes END,
                        state = 'indexing', claimed_by = \(node), lease_until_ms = \(now + lease), updated_ms = \(now)
                    FROM free WHERE s.path = free.path
                    RETURNING s.*
                    """, on: connection)
                return try claimed.map { row in
                    SourceFile(path: local(try row.get("path")), camera: try row.get("camera_id"), sizeBytes: try row.get("size_bytes"),
                               modified: Self.date(try row.get("modified_ms")), state: .indexing, reason: try row.get("reason"),
                               attempts: try row.get("attempts"), recordingID: try row.get("recording_id"))
                }.sorted { $0.path < $1.path }
            }
        }
    }

    public func markIndexed(path: String, recordingID: Int64) async throws(CatalogError) {
        let node = settings.nodeID
        try await call {
            try await transaction { connection in
                try await Self.markSourceIndexed(connection, self, path: path, recordingID: recordingID, node: node)
            }
        }
    }

    /// Gives a file back without counting the attempt (shutdown interrupted it); only this node's claim.
    public func markInterrupted(path: String) async throws(CatalogError) {
        let node = settings.nodeID
        try await call {
            try await rows("""
                UPDATE source_file SET state = 'pending', attempts = greatest(0, attempts - 1), updated_ms = \(Self.now),
                    claimed_by = NULL, lease_until_ms = NULL
                WHERE path = \(stored(path)) AND state = 'indexing' AND (claimed_by = \(node) OR claimed_by IS NULL)
                """)
        }
    }

    public func markFailed(path: String, reason: String, final: Bool, alerts: [NewAlert]) async throws(CatalogError) {
        try await call {
            try await transaction { connection in
                try await execute("""
                    UPDATE source_file SET state = \(final ? "failed" : "pending"), reason = \(reason), updated_ms = \(Self.now),
                        claimed_by = NULL, lease_until_ms = NULL
                    WHERE path = \(stored(path))
                    """, on: connection)
                try await Self.queue(connection, self, alerts)
            }
        }
    }

    /// After a crash: this node's claims, unowned ones, and claims whose lease ran out go back to pending, the
    /// interrupted attempt not counted. Claims other live nodes hold are left alone. Returns how many.
    public func recoverInterruptedWork() async throws(CatalogError) -> Int {
        let node = settings.nodeID
        return try await call {
            try await rows("""
                UPDATE source_file SET state = 'pending', attempts = greatest(0, attempts - 1), updated_ms = \(Self.now),
                    claimed_by = NULL, lease_until_ms = NULL
                WHERE state = 'indexing' AND (claimed_by = \(node) OR claimed_by IS NULL OR lease_until_ms < \(Self.now))
                RETURNING path
                """).count
        }
    }

    public func lastFileSeen() async throws(CatalogError) -> [String: Date] {
        try await call {
            var result: [String: Date] = [:]
            for row in try await rows("SELECT camera_id, max(first_seen_ms) AS seen FROM source_file GROUP BY camera_id") {
                result[try row.get("camera_id")] = Self.date(try row.get("seen"))
            }
            return result
        }
    }

    // MARK: - Nodes

    /// Adds (or refreshes) this node in the node table.
    func registerNode() async throws {
        let now = Self.now
        try await rows("""
            INSERT INTO node (id, host, pid, started_ms, heartbeat_ms, left_ms, drains_alerts)
            VALUES (\(settings.nodeID), \(ProcessInfo.processInfo.hostName), \(Int(ProcessInfo.processInfo.processIdentifier)),
                \(now), \(now), NULL, false)
            ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms, left_ms = NULL
            """)
    }

    /// Says this node is alive and renews the leases on the files it holds.
    public func heartbeat() async throws(CatalogError) {
        let node = settings.nodeID
        let lease = Int64(settings.leaseSeconds * 1000)
        try await call {
            let now = Self.now
            try await transaction { connection in
                try await execute("UPDATE node SET heartbeat_ms = \(now), left_ms = NULL WHERE id = \(node)", on: connection)
                try await execute("""
                    UPDATE source_file SET lease_until_ms = \(now + lease)
                    WHERE state = 'indexing' AND claimed_by = \(node)
                    """, on: connection)
            }
        }
    }

    /// A clean exit: this node's claims go back to pending at once (not after a lease), and it is marked gone.
    public func leave() async throws(CatalogError) {
        let node = settings.nodeID
        try await call {
            try await transaction { connection in
                try await execute("""
                    UPDATE source_file SET state = 'pending', attempts = greatest(0, attempts - 1), updated_ms = \(Self.now),
                        claimed_by = NULL, lease_until_ms = NULL
                    WHERE state = 'indexing' AND claimed_by = \(node)
                    """, on: connection)
                try await execute("UPDATE node SET left_ms = \(Self.now), drains_alerts = false WHERE id = \(node)", on: connection)
            }
        }
    }

    /// Every node that has used the catalog, with what it holds, newest heartbeat first.
    public func nodes() async throws(CatalogError) -> [CatalogNode] {
        try await call {
            var holding: [String: [String]] = [:]
            for row in try await rows("SELECT claimed_by, path FROM source_file WHERE state = 'indexing' AND claimed_by IS NOT NULL ORDER BY path") {
                holding[try row.get("claimed_by", as: String.self), default: []].append(local(try row.get("path")))
            }
            return try await rows("SELECT * FROM node ORDER BY heartbeat_ms DESC, id").map { row in
                let id = try row.get("id", as: String.self)
                return CatalogNode(id: id, host: try row.get("host"), processID: try row.get("pid"),
                                   started: Self.date(try row.get("started_ms")), heartbeat: Self.date(try row.get("heartbeat_ms")),
                                   left: try row.get("left_ms", as: Int64?.self).map(Self.date),
                                   drainsAlerts: try row.get("drains_alerts"), holding: holding[id] ?? [])
            }
        }
    }
}
