import Foundation
import TestSupport
import Testing

@Suite("wardwatch run links incidents to newly indexed footage", .serialized)
struct DaemonLinkingTests {
    @Test("an incident imported before its footage arrives is linked after the daemon commits it, with one alert line")
    func daemonLinksNewFootage() throws {
        let ward = try TestWard()
        defer { ward.folder.remove() }
        try (try String(contentsOfFile: ward.config, encoding: .utf8)
            + "  - {name: links, log: logs/links.jsonl, kinds: [incident]}\n").write(toFile: ward.config, atomically: true, encoding: .utf8)
        let reports = ward.folder.path("incidents.csv")
        try """
            reference,category,occurred_at,uncertainty_min,address
            INC-9,giật đồ,2024-07-10 15:30:04,2,Lê Thái Tổ giao Hàng Gai
            """.write(toFile: reports, atomically: true, encoding: .utf8)
        let imported = try Subprocess.wardwatch(["import", "incidents", reports, "--config", ward.config], directory: ward.folder.url)
        #expect(imported.status == 0, "\(imported.standardError)")

        try FileManager.default.copyItem(atPath: SampleRecordings.url("CAM07_20240710_153000.mp4").path,
                                         toPath: ward.folder.path("cams/B/CAM07_20240710_153000.mp4"))
        let daemon = try ward.startDaemon()
        var links: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let shown = try Subprocess.wardwatch(["incident", "show", "INC-9", "--format", "json", "--config", ward.config],
                                                 directory: ward.folder.url)
            links = (try? JSONSerialization.jsonObject(with: Data(shown.standardOutput.utf8)) as? [String: Any])?["links"]
                as? [[String: Any]] ?? []
            if !links.isEmpty, !ward.logLines(ward.folder.path("logs/links.jsonl")).isEmpty { break }
            usleep(200_000)
        }
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(links.count == 1 && links.first?["camera"] as? String == "CAM07", "daemon log:\n\(ward.daemonLog)")
        let lines = ward.logLines(ward.folder.path("logs/links.jsonl"))
        #expect(lines.count == 1 && lines.first?.contains("\"incident\":\"INC-9\"") == true && lines.first?.contains("incident.link") == true,
                "\(lines)")
    }
}
