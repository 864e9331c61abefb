import Foundation
import TestSupport
import Testing

/// Issue 15, defect 14: the audit trail's tail, and a bundle's custody log, can no longer be cut unnoticed.
@Suite("Signed checkpoints anchor the audit trail; the catalog anchors custody logs", .serialized)
struct TrailAnchorTests {
    func ward() throws -> (EvidenceWard, String) {
        let ward = try EvidenceWard(samples: [("street_1080p_h264.mp4", "CAM01_20240710_153000.mp4")])
        let config = ward.folder.path("ward.yaml")
        try """
            catalog: ward.sqlite
            evidence: {signing_key: ward.key, anchor_file: anchor.jsonl, checkpoint_interval: 0}
            alerts:
              - { name: health, log: health.jsonl, kinds: [health] }

            """.write(toFile: config, atomically: true, encoding: .utf8)
        return (ward, config)
    }

    /// Copies the catalog (and its write-ahead log, if a process left one) aside.
    func backUp(_ ward: EvidenceWard, to name: String) throws {
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: ward.catalog + suffix) {
            try FileManager.default.copyItem(atPath: ward.catalog + suffix, toPath: ward.folder.path(name + suffix))
        }
    }

    func restore(_ ward: EvidenceWard, from name: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ward.catalog + suffix) }
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: ward.folder.path(name + suffix)) {
            try FileManager.default.copyItem(atPath: ward.folder.path(name + suffix), toPath: ward.catalog + suffix)
        }
    }

    @Test("each export writes a signed checkpoint; a catalog restored from before it fails audit verify --anchor")
    func trailCutBack() throws {
        let (ward, config) = try ward()
        defer { ward.remove() }
        try backUp(ward, to: "before.sqlite")
        let exported = try ward.run(["export", "--config", config, "--case", "C-1", "--reason", "court", "--out",
                                     ward.folder.path("bundle"), "--event", "1"])
        try #require(exported.status == 0, "\(exported.standardError)")
        let manual = try ward.run(["audit", "checkpoint", "--config", config])
        #expect(manual.status == 0, "\(manual.standardError)")

        // The anchor file and the alert log each hold the signed checkpoints, and the intact trail reaches them.
        let anchor = try String(contentsOfFile: ward.folder.path("anchor.jsonl"), encoding: .utf8)
        #expect(anchor.split(separator: "\n").count == 2, "\(anchor)")
        #expect(anchor.contains("\"reason\":\"export\"") && anchor.contains("\"signature\""))
        let log = try String(contentsOfFile: ward.folder.path("health.jsonl"), encoding: .utf8)
        #expect(log.contains("\"kind\":\"audit.checkpoint\""), "\(log)")
        for file in ["anchor.jsonl", "health.jsonl"] {
            let intact = try ward.run(["audit", "verify", "--config", config, "--anchor", ward.folder.path(file)])
            #expect(intact.status == 0, "\(file): \(intact.standardError)")
            #expect(intact.standardOutput.contains("signed by the ward's key"), "\(intact.standardOutput)")
        }

        // An older copy of the catalog: its chain is intact on its own, but shorter than the checkpoints.
        try restore(ward, from: "before.sqlite")
        let alone = try ward.run(["audit", "verify", "--config", config])
        #expect(alone.status == 0, "the restored trail verifies on its own: \(alone.standardError)")
        for file in ["anchor.jsonl", "health.jsonl"] {
            let cut = try ward.run(["audit", "verify", "--config", config, "--anchor", ward.folder.path(file)])
            #expect(cut.status == 1, "\(file): a cut trail passed")
            #expect(cut.standardError.contains("were cut"), "\(file): \(cut.standardError)")
        }

        // A checkpoint edited after signing no longer verifies.
        var lines = anchor.split(separator: "\n").map(String.init)
        lines[0] = lines[0].replacingOccurrences(of: "\"reason\":\"export\"", with: "\"reason\":\"manual\"")
        try (lines.joined(separator: "\n") + "\n").write(toFile: ward.folder.path("forged.jsonl"), atomically: true, encoding: .utf8)
        let forged = try ward.run(["audit", "verify", "--config", config, "--anchor", ward.folder.path("forged.jsonl")])
        #expect(forged.status == 1 && forged.standardError.contains("forged.jsonl:1"), "\(forged.standardError)")
    }

    @Test("verify --catalog fails a bundle whose custody log lost its last hand-off, which verify alone cannot see")
    func custodyCutBack() throws {
        let (ward, config) = try ward()
        defer { ward.remove() }
        let bundle = ward.folder.path("bundle")
        let exported = try ward.run(["export", "--config", config, "--case", "C-1", "--reason", "court", "--out", bundle, "--event", "1"])
        try #require(exported.status == 0, "\(exported.standardError)")
        let handed = try ward.run(["custody", "append", bundle, "--config", config, "--by", "Lan", "--to", "Court clerk",
                                   "--reason", "hearing"])
        try #require(handed.status == 0, "\(handed.standardError)")
        let whole = try ward.run(["verify", bundle, "--catalog", ward.catalog])
        #expect(whole.status == 0, "\(whole.standardError)")
        #expect(whole.standardOutput.contains("all 2 steps"), "\(whole.standardOutput)")

        // Drop the hand-off line: what is left still chains and verifies.
        let custody = bundle + "/custody.jsonl"
        let lines = try String(contentsOfFile: custody, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 2)
        try (lines[0] + "\n").write(toFile: custody, atomically: true, encoding: .utf8)
        #expect(try ward.run(["verify", bundle]).status == 0, "without the catalog, the cut log still verifies")
        let cut = try ward.run(["verify", bundle, "--catalog", ward.catalog])
        #expect(cut.status == 1)
        #expect(cut.standardError.contains("custody.jsonl was cut") && cut.standardError.contains("handoff by Lan to Court clerk"),
                "\(cut.standardError)")
    }
}
