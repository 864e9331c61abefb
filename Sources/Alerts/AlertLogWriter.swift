import Catalog
import Foundation
import Logging
import ServiceLifecycle
import SystemIO

/// Copies queued alerts from the catalog's outbox into their log files, exactly once.
///
/// Each batch opens the log with O_APPEND (creating it if needed), writes, fsyncs and closes it,
/// and only then marks the alerts delivered. So:
/// - a log renamed away by logrotate is simply re-created at its path on the next batch, and a
///   copy-truncated one is appended to from its new end — no signal needed, no line lost;
/// - a crash after the write but before the mark is repaired on the next run: lines already in
///   the log's tail are recognised (they are stored verbatim) and not written twice.
public struct AlertLogWriter: Sendable {
    public let store: any AlertOutboxStore
    public let logger: Logger

    public init(store: any AlertOutboxStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Delivers everything queued; returns how many lines were written.
    @discardableResult
    public func deliverPending() async throws -> Int {
        var written = 0
        while true {
            // Small enough batches that a log's whole batch always fits in the tail read below.
            let batch = try await store.undeliveredAlerts(limit: 200)
            guard !batch.isEmpty else { return written }
            var byLog: [String: [PendingAlert]] = [:]
            var order: [String] = []
            for pending in batch {
                if byLog[pending.alert.log] == nil { order.append(pending.alert.log) }
                byLog[pending.alert.log, default: []].append(pending)
            }
            var delivered: [Int64] = []
            for log in order {
                let alerts = byLog[log]!
                do {
                    written += try append(alerts, to: log)
                    delivered += alerts.map(\.sequence)
                } catch {
                    // Leave them queued; the next pass retries. Other logs still get theirs.
                    logger.error("cannot write alert log", metadata: ["alert.log": "\(log)", "error": "\(error)"])
                }
            }
            try await store.markDelivered(sequences: delivered)
            if delivered.count < batch.count { return written }
        }
    }

    private func append(_ alerts: [PendingAlert], to log: String) throws -> Int {
        let folder = (log as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let tail = Self.tail(of: log, bytes: 4 * 1024 * 1024)
        let lines = alerts.map { $0.alert.line + "\n" }.filter { !tail.contains($0) }
        guard !lines.isEmpty else { return 0 }
        do { try DurableFile.write(Array(lines.joined().utf8), to: log, mode: .append) } catch {
            throw AlertLogError(path: log, reason: "\(error.call): \(error.reason)")
        }
        return lines.count
    }

    /// The last `bytes` of a file as text ("" when it does not exist).
    static func tail(of path: String, bytes: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return "" }
        let start = size > UInt64(bytes) ? size - UInt64(bytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// An alert log could not be written.
public struct AlertLogError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "alert log '\(path)': \(reason)" }
}

/// Runs the writer in the daemon: shortly after commits, and once more on shutdown.
public struct AlertDeliveryService: Service {
    public let writer: AlertLogWriter
    public let interval: Duration

    public init(writer: AlertLogWriter, interval: Duration = .milliseconds(250)) {
        self.writer = writer
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await writer.deliverPending() } catch {
                writer.logger.error("alert delivery failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
        try await writer.deliverPending()
    }
}
