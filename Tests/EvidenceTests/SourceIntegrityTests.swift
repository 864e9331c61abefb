import Catalog
import CatalogSQLite
import Evidence
import Foundation
import TestSupport
import Testing

/// Issue 15, defect 2, as a class: any change to a source file is caught before its evidence is signed, not only
/// changes the sampled fingerprint happens to read. The refusal names the file, queues a health alert and marks the
/// recording unhealthy in `status`; the bundle gives each source's full SHA-256, computed at export and compared with
/// the one stored at index time.
@Suite("Exports check the whole source file against its index-time SHA-256", .serialized)
struct SourceIntegrityTests {
    /// A ward whose alert rules write health lines to health.jsonl.
    func config(_ ward: EvidenceWard) throws -> String {
        let config = ward.folder.path("ward.yaml")
        try "catalog: ward.sqlite\nalerts:\n  - { name: health, log: health.jsonl, kinds: [health] }\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    func status(_ ward: EvidenceWard, _ config: String) throws -> String {
        let result = try ward.run(["status", "--config", config, "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        return result.standardOutput
    }

    @Test("a byte changed where the fingerprint does not read is refused; the original restored exports with matching hashes")
    func unsampledChange() async throws {
        let ward = try EvidenceWard(samples: [("street_1080p_h264.mp4", "CAM01_20240710_153000.mp4")])
        defer { ward.remove() }
        let file = (ward.recordings as NSString).appendingPathComponent("CAM01_20240710_153000.mp4")
        let config = try config(ward)
        let catalog = try SQLiteCatalog(path: ward.catalog)
        let recording = try #require(try await catalog.recording(id: 1))
        // Index time stored the whole file's SHA-256 (computed here independently).
        #expect(recording.sha256 == (try sha256Hex(of: file)))

        // A byte between the fingerprint's first and second sampled blocks: size and fingerprint stay the same.
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        let lastStart = original.count - 64 * 1024
        try #require(lastStart / 15 > 64 * 1024 + 4096, "the sample is too small for this test")
        var changed = original
        changed[64 * 1024 + 2048] ^= 0x5A
        try changed.write(to: URL(fileURLWithPath: file))
        #expect(SourceCheck.problem(recording) == nil, "the sampled fingerprint should not see this change")

        let out = ward.folder.path("bundle-changed")
        let refused = try ward.run(["export", "--config", config, "--catalog", ward.catalog, "--key-file", ward.key,
                                    "--case", "C", "--reason", "r", "--out", out, "--event", "1"])
        #expect(refused.status != 0, "a changed source was exported")
        #expect(refused.standardError.contains(file) && refused.standardError.contains("SHA-256"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // A health alert naming the file, and the recording unhealthy in status.
        let alerts = (try? String(contentsOfFile: ward.folder.path("health.jsonl"), encoding: .utf8)) ?? ""
        #expect(alerts.contains("evidence refused") && alerts.contains("CAM01_20240710_153000.mp4"), "alerts: \(alerts)")
        #expect(try status(ward, config).contains("recording 1:"))

        // The original back: the export works, metadata gives both hashes and says they match, and status is healthy.
        try original.write(to: URL(fileURLWithPath: file))
        let good = ward.folder.path("bundle-ok")
        let ok = try ward.run(["export", "--config", config, "--catalog", ward.catalog, "--key-file", ward.key,
                               "--case", "C", "--reason", "r", "--out", good, "--event", "1"])
        #expect(ok.status == 0, "\(ok.standardError)")
        let metadata = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: good + "/metadata.json")))
            as? [String: Any])
        let items = try #require(metadata["items"] as? [[String: Any]])
        let source = try #require((items.first?["sources"] as? [[String: Any]])?.first)
        #expect(source["sha256"] as? String == (try sha256Hex(of: file)))
        #expect(source["sha256_at_index"] as? String == recording.sha256)
        #expect((source["sha256_check"] as? String)?.hasPrefix("matches") == true)
        #expect(!(try status(ward, config).contains("recording 1:")))
    }

    @Test("a recording indexed before hashes were stored is hashed at export, and the metadata says so")
    func recordingWithoutStoredHash() async throws {
        let folder = TemporaryDirectory("wardwatch-oldhash")
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("recordings"), withIntermediateDirectories: true)
        let file = folder.path("recordings/CAM01.mp4")
        try FileManager.default.copyItem(atPath: SampleRecordings.url("street_1080p_h264.mp4").path, toPath: file)
        let catalog = try SQLiteCatalog(path: folder.path("ward.sqlite"))
        let fingerprint = try SourceCheck.fingerprint(path: file)
        let start = Date(timeIntervalSince1970: 1_720_600_000)
        // As an older WardWatch committed it: no sha256.
        let committed = try await catalog.commitIndexed(NewRecording(
            fingerprint: fingerprint.hex, path: file, camera: "CAM01", start: start, startSource: .container, durationSeconds: 10,
            codec: "h264", width: 1920, height: 1080, frameRate: 25, frameCount: 250, sizeBytes: fingerprint.size), events: [
                NewMotionEvent(start: start.addingTimeInterval(2), end: start.addingTimeInterval(4), offsetSeconds: 2,
                               clipStart: start, clipEnd: start.addingTimeInterval(6), peakTime: start.addingTimeInterval(3),
                               peakScore: 0.5, meanScore: 0.3, area: 0.1, boundingBox: NormalizedBox(x: 0, y: 0, width: 0.5, height: 0.5),
                               still: nil)])
        #expect(committed.recording.sha256 == nil)
        let key = try EvidenceSigningKey.generate(at: folder.path("ward.key"))
        let result = try await EvidenceExporter(store: catalog, stillsDirectory: catalog.stillsDirectory, signingKey: key).export(
            ExportRequest(selection: .events([committed.events[0].id]), caseID: "C", reason: "r", actor: "test",
                          outputPath: folder.path("bundle"), preRollSeconds: 1, postRollSeconds: 1, timeZone: .wardDefault,
                          cameraTimeZones: [:], wardwatchVersion: "test"))
        let source = try #require(result.metadata.items.first?.sources.first)
        #expect(source.sha256 == (try sha256Hex(of: file)))
        #expect(source.sha256AtIndex == nil)
        #expect(source.sha256Check?.contains("no SHA-256 was stored") == true)
    }
}
