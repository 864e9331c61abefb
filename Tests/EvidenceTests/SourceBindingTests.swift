import Catalog
import CatalogSQLite
import Evidence
import Foundation
import TestSupport
import Testing

/// Issue 15, defect 2: evidence comes only from the file that was indexed.
@Suite("Exports are bound to the indexed file", .serialized)
struct SourceBindingTests {
    @Test("export refuses a recording whose file was replaced and writes nothing")
    func replacedRecording() async throws {
        let ward = try EvidenceWard(samples: [("street_1080p_h264.mp4", "CAM01_20240710_153000.mp4")])
        defer { ward.remove() }
        let file = (ward.recordings as NSString).appendingPathComponent("CAM01_20240710_153000.mp4")
        // The check computes the fingerprint exactly as indexing stored it.
        let catalog = try SQLiteCatalog(path: ward.catalog)
        let recording = try #require(try await catalog.recording(id: 1))
        #expect(try SourceCheck.fingerprint(path: file).hex == recording.fingerprint)
        #expect(SourceCheck.problem(recording) == nil)

        let config = ward.folder.path("ward.yaml")
        try "alerts:\n  - { name: health, log: health.jsonl, kinds: [health] }\n".write(toFile: config, atomically: true, encoding: .utf8)
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        for (label, replacement) in [("other footage", try Data(contentsOf: SampleRecordings.url("street_vfr.mp4"))),
                                     ("same size, first bytes changed", { var d = original; d[200] ^= 0x55; return d }())] {
            try replacement.write(to: URL(fileURLWithPath: file))
            let out = ward.folder.path("bundle-\(UUID().uuidString)")
            let result = try ward.run(["export", "--catalog", ward.catalog, "--config", config, "--key-file", ward.key,
                                       "--case", "C", "--reason", "r", "--out", out, "--event", "1"])
            #expect(result.status != 0, "\(label): exported")
            #expect(result.standardError.contains("recording 1 at '\(file)'"), "\(label): \(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }

        // The original back in place: the export works, and metadata gives the source's full SHA-256.
        try original.write(to: URL(fileURLWithPath: file))
        let out = ward.folder.path("bundle-ok")
        let ok = try ward.export(["--event", "1"], out: out)
        #expect(ok.status == 0, "\(ok.standardError)")
        let metadata = try String(contentsOfFile: out + "/metadata.json", encoding: .utf8)
        #expect(metadata.contains(try sha256Hex(of: file)))
    }
}
