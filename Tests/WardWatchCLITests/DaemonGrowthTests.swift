import Foundation
import TestSupport
import Testing

/// Issue 15, defect 7 (daemon): a file committed while it was still being written, which then grows at the same
/// path, is replaced by the complete file — not kept beside it as a second, overlapping recording.
@Suite("The daemon replaces a recording whose file grew", .serialized)
struct DaemonGrowthTests {
    /// The 1080p sample remuxed (stream copy) into MPEG-TS, a container that declares no length, so a file that
    /// stops early looks complete: its first 30 s, and all of it.
    func transportStreams(in folder: TemporaryDirectory) throws -> (part: String, whole: String) {
        let sample = SampleRecordings.url("street_1080p_h264.mp4").path
        let part = folder.path("part.ts"), whole = folder.path("whole.ts")
        for (output, limit) in [(part, ["-t", "30"]), (whole, [])] {
            let made = try Subprocess.run("/usr/bin/env", ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", sample]
                                          + limit + ["-c", "copy", "-f", "mpegts", output])
            try #require(made.status == 0, "ffmpeg: \(made.standardError)")
        }
        return (part, whole)
    }

    func footageSeconds(_ ward: TestWard) throws -> Double {
        let result = try Subprocess.wardwatch(["status", "--config", ward.config, "--format", "json"], directory: ward.folder.url)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        return rows.reduce(0) { $0 + (($1["footage_h"] as? Double) ?? 0) * 3600 }
    }

    @Test("a partial file committed, then the complete file at the same path: one recording, the complete file's events, no alert twice")
    func grownFile() throws {
        let fixtures = TemporaryDirectory("wardwatch-growth")
        defer { fixtures.remove() }
        let (part, whole) = try transportStreams(in: fixtures)
        let name = "CAM01_20240710_153000.ts"

        // What the complete file alone gives.
        let reference = try TestWard()
        defer { reference.folder.remove() }
        try FileManager.default.copyItem(atPath: whole, toPath: reference.folder.path("cams/A/\(name)"))
        let indexed = try Subprocess.wardwatch(["index", "--config", reference.config, "--camera", "CAM01",
                                                reference.folder.path("cams/A/\(name)")], directory: reference.folder.url)
        try #require(indexed.status == 0, "\(indexed.standardError)")
        let expected = try reference.events()
        try #require(!expected.isEmpty)

        let ward = try TestWard()
        defer { ward.folder.remove() }
        let target = ward.folder.path("cams/A/\(name)")
        try FileManager.default.copyItem(atPath: part, toPath: target)
        let daemon = try ward.startDaemon()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        #expect(try ward.waitUntilDone(files: 1), "daemon log:\n\(ward.daemonLog)")
        let partEvents = try ward.events()
        #expect(abs(try footageSeconds(ward) - 30) < 1.5)

        // The recorder finishes the file: same path, the whole footage.
        try Data(contentsOf: URL(fileURLWithPath: whole)).write(to: URL(fileURLWithPath: target))
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline, try ward.events() != expected || abs(try footageSeconds(ward) - 60) > 1.5 {
            Thread.sleep(forTimeInterval: 0.3)
        }
        Thread.sleep(forTimeInterval: 0.8) // one delivery interval
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()

        #expect(try ward.events() == expected, "part had \(partEvents); daemon log:\n\(ward.daemonLog)")
        #expect(abs(try footageSeconds(ward) - 60) < 1.5, "one recording of 60 s, not the part beside the whole")
        let log = (try? String(contentsOfFile: ward.folder.path("daemon.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("the file grew"), "\(ward.daemonLog)")
        // Each alert id once; every event of the complete file alerted exactly once.
        let alerts = try ward.motionAlerts()
        #expect(alerts.uniqueIDs)
        for event in expected { #expect(alerts.keys.contains(event), "no alert line for \(event)") }
    }
}
