import Foundation
import TestSupport
import Testing

/// A ward of 12 two-stream cameras under the daemon, at CI size (8 s clips): the scheduler keeps
/// every camera's lag bounded, `status` shows it, and a lag beyond `daemon.max_lag` raises one
/// health alert per camera backlog.
@Suite("The daemon over a ward of two-stream cameras", .serialized)
struct WardDaemonTests {
    struct Row: Decodable {
        var camera: String
        var indexed: Int
        var pending: Int
        var failed: Int
        var events: Int
        var behind_s: Double
    }

    @Test("12 cameras of main+sub: all indexed, lag bounded and shown by status, events play from the main stream")
    func twelveCameras() throws {
        let folder = TemporaryDirectory("ward12")
        defer { folder.remove() }
        let ward = SampleRecordings.streams.appendingPathComponent("ward")
        let cameras = try FileManager.default.contentsOfDirectory(atPath: ward.path).filter { $0.hasPrefix("CAM") }.sorted()
        try #require(cameras.count == 12)
        var yaml = """
            catalog: ward.sqlite
            daemon: {poll_interval: 0.2, settle_time: 0.3, max_attempts: 1, max_lag: 1}
            cameras:

            """
        for camera in cameras {
            yaml += "  - {id: \(camera), folder: cams/\(camera)/main, index_folder: cams/\(camera)/sub}\n"
            for stream in ["main", "sub"] {
                try FileManager.default.createDirectory(atPath: folder.path("cams/\(camera)/\(stream)"), withIntermediateDirectories: true)
            }
        }
        yaml += """
            alerts:
              - {name: health, log: logs/health.log, format: text, kinds: [health]}

            """
        let config = folder.path("ward.yaml")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: Subprocess.wardwatchBinary)
        daemon.arguments = ["run", "--config", config]
        daemon.currentDirectoryURL = folder.url
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        daemon.standardInput = FileHandle.nullDevice
        try daemon.run()
        defer {
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
        }
        // The recorders finish every camera's files now (copies get a fresh modification time).
        let started = Date()
        for camera in cameras {
            for stream in ["main", "sub"] {
                let source = ward.appendingPathComponent("\(camera)/\(stream)")
                for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                    let target = folder.path("cams/\(camera)/\(stream)/\(name)")
                    try FileManager.default.copyItem(atPath: source.appendingPathComponent(name).path, toPath: target)
                    try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: target)
                }
            }
        }
        func status() throws -> [Row] {
            let result = try Subprocess.wardwatch(["status", "--config", config, "--format", "json"], directory: folder.url)
            return try JSONDecoder().decode([Row].self, from: Data(result.standardOutput.utf8))
        }
        var worst = 0.0
        var done = false
        while Date().timeIntervalSince(started) < 300 {
            let rows = try status()
            worst = max(worst, rows.map(\.behind_s).max() ?? 0)
            // Lag is bounded by the time the whole backlog has existed, never more.
            #expect(rows.allSatisfy { $0.behind_s <= Date().timeIntervalSince(started) + 1 },
                    "\(rows.map { "\($0.camera) \($0.behind_s)" }) after \(Date().timeIntervalSince(started)) s")
            if rows.count == 12, rows.allSatisfy({ $0.indexed == 2 && $0.pending == 0 }) {
                done = true
                break
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
        try #require(done, "not all 24 files indexed in 300 s")
        let rows = try status()
        #expect(rows.allSatisfy { $0.behind_s == 0 && $0.failed == 0 }, "caught up, nothing failed")
        #expect(worst > 0, "status never showed a camera behind while 24 files waited")
        #expect(rows.reduce(0) { $0 + $1.events } > 0)

        let search = try Subprocess.wardwatch(["search", "--config", config, "--format", "json"], directory: folder.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(search.standardOutput.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(!events.isEmpty && events.allSatisfy { $0["source_stream"] as? String == "main" }, "\(events.prefix(2))")

        // max_lag 1 s: the backlog raised lag alerts, at most one per camera (one per oldest waiting file).
        Thread.sleep(forTimeInterval: 1)
        let health = ((try? String(contentsOfFile: folder.path("logs/health.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").filter { $0.contains("lags the recorder") }
        #expect(!health.isEmpty, "no lag alert although max_lag is 1 s")
        let perCamera = Dictionary(grouping: health) { line in cameras.first { line.contains($0) } ?? "?" }
        #expect(perCamera.values.allSatisfy { $0.count <= 2 }, "\(perCamera)")
    }
}
