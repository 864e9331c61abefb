import Foundation
import TestSupport
import Testing

/// Issue 15, defect 12 (daemon part): a file the daemon dies on is retried a bounded number of times; clean stops
/// (SIGTERM) are never counted.
@Suite("The daemon quarantines a file it keeps dying on", .serialized)
struct DaemonCrashTests {
    /// Starts the daemon and waits until its log says it took `name` for the `count`-th time in all.
    func startHolding(_ ward: TestWard, _ name: String, count: Int) throws -> Process {
        let daemon = try ward.startDaemon()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: ward.folder.path("daemon.log"), encoding: .utf8)) ?? ""
            if log.components(separatedBy: "\n").filter({ $0.contains("indexing") && $0.contains(name) }).count >= count {
                return daemon
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        throw CrashTestError(message: "the daemon never took \(name):\n\(ward.daemonLog)")
    }

    struct CrashTestError: Error { var message: String }

    @Test("SIGTERMs while indexing never count; the second death holding the file quarantines it with a health alert")
    func quarantine() throws {
        let ward = try TestWard(maxCrashes: 2)
        defer { ward.folder.remove() }
        // The long sample, so that the daemon is still decoding it when it is stopped.
        let name = "street_1080p_h264.mp4"
        try FileManager.default.copyItem(atPath: SampleRecordings.url(name).path, toPath: ward.folder.path("cams/A/\(name)"))
        var taken = 0
        for _ in 0..<3 {
            let daemon = try startHolding(ward, name, count: taken + 1)
            taken += 1
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
            #expect(daemon.terminationStatus == 0)
        }
        #expect(try ward.status().first { $0.camera == "CAM01" }?.failed == 0)
        for _ in 0..<2 {
            let daemon = try startHolding(ward, name, count: taken + 1)
            taken += 1
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        // The next start counts the second crash: the file is set aside, not taken again.
        let last = try ward.startDaemon()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, try ward.status().first(where: { $0.camera == "CAM01" })?.failed != 1 {
            Thread.sleep(forTimeInterval: 0.2)
        }
        Thread.sleep(forTimeInterval: 1.5) // several scans and a delivery
        kill(last.processIdentifier, SIGTERM)
        last.waitUntilExit()
        let row = try #require(try ward.status().first { $0.camera == "CAM01" })
        #expect(row.failed == 1 && row.indexed == 0 && row.pending == 0, "\(row)")
        let log = (try? String(contentsOfFile: ward.folder.path("daemon.log"), encoding: .utf8)) ?? ""
        #expect(log.components(separatedBy: "\n").filter { $0.contains("indexing") && $0.contains(name) }.count == taken,
                "taken again after quarantine:\n\(ward.daemonLog)")
        #expect(log.contains("recording quarantined"), "\(ward.daemonLog)")
        let status = try Subprocess.wardwatch(["status", "--config", ward.config, "--format", "json"], directory: ward.folder.url)
        #expect(status.standardOutput.contains("1 quarantined: crashed the daemon"), "\(status.standardOutput)")
        let health = ward.logLines(ward.healthLog)
        #expect(health.filter { $0.contains(name) && $0.contains("quarantined: the daemon process died 2 times") }.count == 1,
                "\(health)")
    }
}
