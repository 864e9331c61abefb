import Foundation
import TestSupport
import Testing

/// Issue 15, defect 3: a custody line signed by a key nobody trusts must not verify.
@Suite("Custody lines and their signers' keys", .serialized)
struct CustodyKeyTests {
    static let shared = Result { try EvidenceWard(samples: [("street_1080p_h264.mp4", "CAM01_street.mp4")]) }

    @Test("a hand-off signed by an unrelated key fails verify; listed as trusted it passes, and verify names each line's key")
    func unrelatedKey() throws {
        let ward = try Self.shared.get()
        let bundle = ward.folder.path("bundle-\(UUID().uuidString)")
        let exported = try ward.export(["--event", "1"], out: bundle)
        try #require(exported.status == 0, "export: \(exported.standardError)")
        let other = ward.folder.path("other-\(UUID().uuidString).key")
        try #require(try ward.run(["keys", "generate", "--key-file", other]).status == 0)
        let shown = try ward.run(["keys", "show", "--key-file", other])
        let otherPrint = try #require(shown.standardOutput.split(separator: "\n").first.map { String($0.split(separator: " ").last ?? "") })
        let wardPrint = try #require(try ward.run(["keys", "show", "--key-file", ward.key]).standardOutput
            .split(separator: "\n").first.map { String($0.split(separator: " ").last ?? "") })

        let handed = try ward.run(["custody", "append", bundle, "--catalog", ward.catalog, "--key-file", other,
                                   "--by", "someone", "--to", "someone else", "--reason", "swap"])
        #expect(handed.status == 0, "\(handed.standardError)")
        let refused = try ward.run(["verify", bundle])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("custody.jsonl: line 2: signed by key \(otherPrint), which is neither"),
                "\(refused.standardError)")

        let trusted = try ward.run(["verify", bundle, "--trusted-key", otherPrint])
        #expect(trusted.status == 0, "\(trusted.standardError)")
        #expect(trusted.standardOutput.contains("custody line 1: export by"))
        #expect(trusted.standardOutput.contains("signed by key \(wardPrint) (the bundle's key)"))
        #expect(trusted.standardOutput.contains("custody line 2: handoff by someone to someone else, signed by key \(otherPrint) (a trusted key)"),
                "\(trusted.standardOutput)")

        // The same through the configuration's evidence.trusted_keys.
        let config = ward.folder.path("trust-\(UUID().uuidString).yaml")
        try "evidence:\n  trusted_keys: [\(otherPrint)]\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try ward.run(["verify", bundle, "--config", config]).status == 0)
    }
}
