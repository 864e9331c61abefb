import Foundation
import TestSupport
import Testing

/// A ward in a temporary folder: two camera folders, fast polling, two alert rules.
struct TestWard {
    let folder = TemporaryDirectory("ward")
    var config: String { folder.path("ward.yaml") }
    var motionLog: String { folder.path("logs/motion.jsonl") }
    var healthLog: String { folder.path("logs/health.log") }

    /// Daemon deaths while holding a file before it is quarantined (`daemon.max_crashes`).
    var maxCrashes = 3

    init(extraCamera: Bool = false, silentCamera: Bool = false, maxCrashes: Int = 3) throws {
        self.maxCrashes = maxCrashes
        for camera in ["A", "B", "C"] {
            try FileManager.default.createDirectory(atPath: folder.path("cams/\(camera)"), withIntermediateDirectories: true)
        }
        try writeConfig(extraCamera: extraCamera, silentCamera: silentCamera)
    }

    func writeConfig(extraCamera: Bool, silentCamera: Bool = false) throws {
        var yaml = """
            catalog: ward.sqlite
            daemon: {poll_interval: 0.2, settle_time: 0.3, max_attempts: 1, workers: 2, max_crashes: \(maxCrashes)}
            cameras:
              - {id: CAM01, ward: Phường Hàng Trống, street: số 12 Hàng Trống, folder: cams/A}
              - {id: CAM07, ward: Phường Hàng Trống, street: ngã tư Lê Thái Tổ – Hàng Gai, folder: cams/B}

            """
        if extraCamera { yaml += "  - {id: CAM09, ward: Phường Hàng Trống, folder: cams/C}\n" }
        if silentCamera { yaml += "  - {id: CAM10, folder: cams/C, files: [\"*.none\"], expected_interval: 1}\n" }
        yaml += """
            alerts:
              - {name: motion, log: logs/motion.jsonl, kinds: [motion]}
              - {name: health, log: logs/health.log, format: text, kinds: [health]}

            """
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// Copies the small samples in (distinct content each) plus a corrupt file.
    func dropRecordings() throws {
        for (name, camera) in [("street_720p_hevc.mp4", "A"), ("street_vfr.mp4", "A"), ("street_mjpeg.avi", "B"),
                               ("CAM07_20240710_153000.mp4", "B")] {
            let target = folder.path("cams/\(camera)/\(name)")
            try FileManager.default.copyItem(atPath: SampleRecordings.url(name).path, toPath: target)
            // Files without a start tag fall back to mtime: pin it so two wards agree.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_720_600_000)],
                                                  ofItemAtPath: target)
        }
        try "this is not a video\n".write(toFile: folder.path("cams/A/broken.mp4"), atomically: true, encoding: .utf8)
    }

    func startDaemon() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Subprocess.wardwatchBinary)
        process.arguments = ["run", "--config", config]
        process.currentDirectoryURL = folder.url
        process.standardOutput = FileHandle.nullDevice
        let log = folder.path("daemon.log")
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = FileHandle(forWritingAtPath: log)
        handle?.seekToEndOfFile()
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    struct Status: Decodable {
        var camera: String
        var indexed: Int
        var pending: Int
        var failed: Int
        var events: Int
    }

    func status() throws -> [Status] {
        let result = try Subprocess.wardwatch(["status", "--config", config, "--format", "json"], directory: folder.url)
        return try JSONDecoder().decode([Status].self, from: Data(result.standardOutput.utf8))
    }

    /// The daemon's last log lines, for failure messages.
    var daemonLog: String {
        let text = (try? String(contentsOfFile: folder.path("daemon.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(8).joined(separator: "\n")
    }

    /// Waits until `files` files are indexed or failed and nothing is pending.
    func waitUntilDone(files: Int, timeout: Double = 180) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let rows = try status()
            if rows.reduce(0, { $0 + $1.indexed + $1.failed }) == files, rows.allSatisfy({ $0.pending == 0 }) { return true }
            Thread.sleep(forTimeInterval: 0.3)
        }
        return false
    }

    /// Events as (camera, start, end), sorted.
    func events() throws -> [String] {
        let result = try Subprocess.wardwatch(["events", "--config", config, "--format", "json"], directory: folder.url)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        return items.map { "\($0["camera"]!) \($0["start"]!) \($0["end"]!)" }.sorted()
    }

    func logLines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Motion alert lines reduced to (camera, start, end), sorted, plus whether all alert ids are unique.
    func motionAlerts() throws -> (keys: [String], uniqueIDs: Bool) {
        var ids: Set<String> = []
        var keys: [String] = []
        var unique = true
        for line in logLines(motionLog) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            unique = ids.insert(object["alert_id"] as! String).inserted && unique
            keys.append("\(object["camera"]!) \(object["start"]!) \(object["end"]!)")
        }
        return (keys.sorted(), unique)
    }
}

@Suite("wardwatch run (the daemon), end to end", .serialized)
struct DaemonTests {
    @Test("dropped files become events and alert lines; a corrupt file fails with a health alert; SIGHUP reloads; SIGTERM exits 0")
    func lifecycle() throws {
        let ward = try TestWard(silentCamera: true)
        defer { ward.folder.remove() }
        let daemon = try ward.startDaemon()
        try ward.dropRecordings()
        #expect(try ward.waitUntilDone(files: 5), "daemon log:\n\(ward.daemonLog)")
        let rows = try ward.status()
        #expect(rows.first { $0.camera == "CAM01" }?.failed == 1)
        #expect(rows.first { $0.camera == "CAM01" }?.indexed == 2)
        #expect(rows.first { $0.camera == "CAM07" }?.indexed == 2)
        let events = try ward.events()
        #expect(events.count == 9, "\(events)") // 3 + 3 + 2 + 1 from the truth files
        Thread.sleep(forTimeInterval: 0.8) // one delivery interval
        let alerts = try ward.motionAlerts()
        #expect(alerts.keys == events && alerts.uniqueIDs)
        let health = ward.logLines(ward.healthLog)
        #expect(health.filter { $0.contains("broken.mp4") && $0.contains("recording failed") }.count == 1, "\(health)")
        // CAM10 expects a file every second and never gets one: one alert for the silence, not one per scan.
        #expect(health.filter { $0.contains("CAM10") && $0.contains("no new recording") }.count == 1, "\(health)")

        // SIGHUP: a camera added to the file is picked up without a restart.
        try ward.writeConfig(extraCamera: true, silentCamera: true)
        kill(daemon.processIdentifier, SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        try FileManager.default.copyItem(atPath: SampleRecordings.url("street_1080p_h264.mp4").path,
                                         toPath: ward.folder.path("cams/C/street.mp4"))
        #expect(try ward.waitUntilDone(files: 6))
        #expect(try ward.status().first { $0.camera == "CAM09" }?.indexed == 1)

        kill(daemon.processIdentifier, SIGTERM)
        let stoppedBy = Date().addingTimeInterval(10)
        while daemon.isRunning && Date() < stoppedBy { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!daemon.isRunning, "still running 10 s after SIGTERM")
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    @Test("SIGKILL at 20 seeded random moments, then a clean run: exactly the events and alerts of an uninterrupted run")
    func crashSafety() throws {
        let reference = try TestWard()
        defer { reference.folder.remove() }
        let uninterrupted = try reference.startDaemon()
        try reference.dropRecordings()
        #expect(try reference.waitUntilDone(files: 5), "daemon log:\n\(reference.daemonLog)\nstatus: \((try? reference.status()).map { "\($0)" } ?? "unavailable")")
        Thread.sleep(forTimeInterval: 0.8)
        kill(uninterrupted.processIdentifier, SIGTERM)
        uninterrupted.waitUntilExit()

        // Each SIGKILL is a death while holding files: enough crashes allowed that none is quarantined here
        // (DaemonCrashTests covers quarantine).
        let ward = try TestWard(maxCrashes: 100)
        defer { ward.folder.remove() }
        try ward.dropRecordings()
        var random = SeededRandom(seed: 20261123)
        for _ in 0..<20 {
            let daemon = try ward.startDaemon()
            Thread.sleep(forTimeInterval: 0.15 + Double(random.next() % 1000) / 1000 * 1.2)
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        let last = try ward.startDaemon()
        #expect(try ward.waitUntilDone(files: 5), "daemon log:\n\(ward.daemonLog)\nstatus: \((try? ward.status()).map { "\($0)" } ?? "unavailable")")
        Thread.sleep(forTimeInterval: 0.8)
        kill(last.processIdentifier, SIGTERM)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)

        #expect(try ward.events() == reference.events())
        let alerts = try ward.motionAlerts()
        #expect(alerts.uniqueIDs)
        #expect(alerts.keys == (try reference.motionAlerts()).keys)
        #expect(ward.logLines(ward.healthLog).count == 1)
    }
}

struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
