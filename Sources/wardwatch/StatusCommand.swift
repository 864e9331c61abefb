import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import WardWatchConfig

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per camera: recordings indexed, pending and failed, footage hours, last event, lag and health.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: table or json.")
    var format: TableOrJSON = .table

    struct Row: Encodable {
        var camera: String
        var indexed: Int
        var pending: Int
        var failed: Int
        var footage_h: Double
        var events: Int
        var last_event: String?
        var last_recording_end: String?
        var last_file_seen: String?
        var lag_s: Double?
        /// Seconds the indexing trails the recorder: since it finished the oldest file not yet indexed.
        var behind_s: Double
        var health: String
    }

    /// "45 s", "12 min", "3.5 h", "2.0 d".
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: return String(format: "%.0f s", seconds)
        case ..<7200: return String(format: "%.0f min", seconds / 60)
        case ..<172_800: return String(format: "%.1f h", seconds / 3600)
        default: return String(format: "%.1f d", seconds / 86400)
        }
    }

    func run() async throws {
        _ = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let opened = try await global.openStore(configuration)
        let catalog = opened.store
        let now = Date()
        let waiting = try await catalog.oldestUnindexedFiles()
        let rows = try await catalog.cameraStatus().map { status -> Row in
            let camera = configuration.camera(status.camera)
            let zone = camera?.timeZone ?? configuration.timeZone
            let lag = status.lastRecordingEnd.map { now.timeIntervalSince($0) }
            var problems: [String] = status.lastRecordingHealth + status.sourceProblems
            if let failed = status.files[.failed], failed > 0 {
                problems.append("\(failed) failed" + (status.quarantined > 0 ? " (\(status.quarantined) quarantined: crashed the daemon)" : ""))
            }
            var isFolder: ObjCBool = false
            if let folder = camera?.folder, !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
                problems.append("folder \(folder) missing")
            }
            if let expected = camera?.expectedIntervalSeconds, let lag, lag > expected {
                problems.append(String(format: "no recording for %.0f min", lag / 60))
            }
            let behind = IndexLag.seconds(oldestUnindexed: waiting[status.camera], now: now).rounded()
            if let maxLag = configuration.daemon.maxLagSeconds, behind > maxLag {
                problems.append(String(format: "indexing %.0f s behind the recorder", behind))
            }
            return Row(
                camera: status.camera, indexed: status.files[.indexed] ?? 0,
                pending: (status.files[.pending] ?? 0) + (status.files[.indexing] ?? 0), failed: status.files[.failed] ?? 0,
                footage_h: (status.footageSeconds / 3600 * 1000).rounded() / 1000, events: status.eventCount,
                last_event: status.lastEvent.map { Timestamp.format($0, in: zone) },
                last_recording_end: status.lastRecordingEnd.map { Timestamp.format($0, in: zone) },
                last_file_seen: status.lastFileSeen.map { Timestamp.format($0, in: zone) },
                lag_s: lag.map { $0.rounded() }, behind_s: behind, health: problems.isEmpty ? "ok" : problems.joined(separator: "; "))
        }
        switch format {
        case .json: print(try renderJSON(rows))
        case .table:
            print(renderTable(
                header: ["CAMERA", "INDEXED", "PENDING", "FAILED", "FOOTAGE", "EVENTS", "LAST EVENT", "LAST RECORDING END",
                         "LAG", "BEHIND", "HEALTH"],
                rows: rows.map {
                    [$0.camera, String($0.indexed), String($0.pending), String($0.failed), fixed($0.footage_h, digits: 2) + " h",
                     String($0.events), $0.last_event ?? "", $0.last_recording_end ?? "", $0.lag_s.map(Self.duration) ?? "",
                     Self.duration($0.behind_s), $0.health]
                }))
            if let shared = opened.postgres {
                // Every node sharing the catalog: what it holds now and when it last said it is alive.
                let nodes = try await shared.nodes()
                print("")
                print(renderTable(header: ["NODE", "HOST", "PID", "STATE", "HEARTBEAT", "ALERTS", "HOLDING"], rows: nodes.map { node in
                    let age = now.timeIntervalSince(node.heartbeat)
                    let state = node.left != nil ? "left" : age > shared.settings.leaseSeconds ? "silent (lease expired)" : "alive"
                    return [node.id, node.host, String(node.processID), state,
                            Timestamp.format(node.heartbeat, in: configuration.timeZone) + " (\(Self.duration(max(0, age))) ago)",
                            node.drainsAlerts && node.left == nil ? "writes" : "",
                            node.holding.isEmpty ? "" : "\(node.holding.count): " + node.holding.map { ($0 as NSString).lastPathComponent }
                                .joined(separator: ", ")]
                }))
            }
        }
        await opened.close()
    }
}
