import Catalog
import CatalogSQLite
import Evidence
import Foundation
import TestSupport
import Testing
import ZIPFoundation

/// `wardwatch export`, `verify`, `keys` and `custody`, run as the built binary on indexed samples.
@Suite("Evidence export, end to end", .serialized)
struct ExportCommandTests {
    /// One indexed ward shared by the tests (indexing the 1080p sample takes seconds); each test
    /// writes its own bundles.
    static let shared = Result { try EvidenceWard(samples: [("street_1080p_h264.mp4", "CAM01_street.mp4")]) }

    /// A fresh bundle folder of events 1 and 2 in `ward`.
    func exportEvents(_ ward: EvidenceWard, case caseID: String = "CASE-7") throws -> String {
        let out = ward.folder.path("bundle-\(UUID().uuidString)")
        let result = try ward.export(["--event", "1", "2"], case: caseID, out: out)
        try #require(result.status == 0, "export: \(result.standardError)")
        return out
    }

    func verify(_ ward: EvidenceWard, _ bundle: String, key: String? = nil) throws -> Subprocess.Result {
        try ward.run(["verify", bundle] + (key.map { ["--key", $0] } ?? []))
    }

    /// A copy of a bundle folder to tamper with.
    func copy(_ bundle: String, in ward: EvidenceWard) throws -> String {
        let target = ward.folder.path("tampered-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: bundle, toPath: target)
        return target
    }

    @Test("export then verify: exit 0; originals unchanged; events held; audited; custody list shows it; no private key inside")
    func exportAndVerify() async throws {
        let ward = try Self.shared.get()
        let before = try ward.recordingHashes()
        let listing = try FileManager.default.contentsOfDirectory(atPath: ward.recordings).sorted()
        let bundle = try exportEvents(ward, case: "CASE-OK")

        let verified = try verify(ward, bundle)
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(verified.standardOutput.contains("bundle intact: case CASE-OK"))
        #expect(verified.standardOutput.contains("no --key given"), "without --key it must say it proves consistency only")

        // Originals: same bytes, nothing added next to them.
        #expect(try ward.recordingHashes() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ward.recordings).sorted() == listing)

        let files = try bundleFiles(bundle)
        for name in ["manifest.json", "manifest.sig", "public-key.pem", "custody.jsonl", "metadata.json", "index.html",
                     "stills/event-1.jpg", "stills/event-2.jpg", "clips/event-1.mp4", "clips/event-2.mp4"] {
            #expect(files.contains(name), "missing \(name) in \(files)")
        }
        let secret = try PrivateKeyForms(keyFile: ward.key)
        for file in files {
            #expect(!secret.leaked(in: try Data(contentsOf: URL(fileURLWithPath: (bundle as NSString).appendingPathComponent(file)))),
                    "the private key leaked into \(file)")
        }

        // metadata.json: times with offsets, sources with their full-file hashes, versions.
        let metadata = try JSONDecoder().decode(
            EvidenceMetadata.self, from: Data(contentsOf: URL(fileURLWithPath: bundle + "/metadata.json")))
        #expect(metadata.caseID == "CASE-OK" && metadata.reason == "request 42/CAT")
        #expect(metadata.ffmpeg.contains("libavformat") && metadata.wardwatchVersion == "0.1.0")
        #expect(metadata.items.map(\.kind) == ["event", "event"])
        let item = try #require(metadata.items.first)
        // The person enters at 4 s; the detector's start is within its half-second (milliseconds vary).
        let utc = item.events.first?.start.utc ?? "", local = item.events.first?.start.local ?? ""
        #expect(utc.hasPrefix("2024-07-10T08:30:04.") && utc.hasSuffix("Z"), "\(utc)")
        #expect(local.hasPrefix("2024-07-10T15:30:04.") && local.hasSuffix("+07:00"), "\(local)")
        #expect(item.sources.first?.sha256 == before["CAM01_street.mp4"])
        #expect(item.clip?.path == "clips/event-1.mp4" && item.clip?.sources == [ward.recordings + "/CAM01_street.mp4"])

        // The catalog: legal hold, custody record, audit entry.
        let catalog = try SQLiteCatalog(path: ward.catalog)
        #expect(try await catalog.isOnLegalHold(eventID: 1))
        #expect(try await catalog.isOnLegalHold(eventID: 2))
        #expect(try await catalog.legalHolds(caseID: "CASE-OK").map(\.eventID) == [1, 2])
        let exports = try await catalog.auditEntries(actor: nil, action: "export", from: nil, to: nil)
        #expect(exports.contains { $0.query.contains("case=CASE-OK") && $0.query.contains("events=1,2") && $0.resultCount == 2 })
        let custody = try ward.run(["custody", "list", "--catalog", ward.catalog, "--case", "CASE-OK", "--format", "json"])
        #expect(custody.status == 0, "\(custody.standardError)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(custody.standardOutput.utf8)) as? [String: Any])
        let records = try #require(listed["records"] as? [[String: Any]])
        #expect(records.count == 1 && records.first?["action"] as? String == "export")
        #expect(records.first?["bundle"] as? String == bundle)
        #expect((listed["legal_holds"] as? [[String: Any]])?.compactMap { $0["event"] as? Int } == [1, 2])
        let table = try ward.run(["custody", "list", "--catalog", ward.catalog, "--case", "CASE-OK"])
        #expect(table.standardOutput.contains("Legal holds") && table.standardOutput.contains("CASE-OK"))
    }

    @Test("flipping one byte (first, middle or last) in any file, or deleting any file, fails verify with exit 1 naming that file")
    func everyFileIsCovered() throws {
        let ward = try Self.shared.get()
        let bundle = try exportEvents(ward)
        for file in try bundleFiles(bundle) {
            let size = try #require(try FileManager.default.attributesOfItem(
                atPath: (bundle as NSString).appendingPathComponent(file))[.size] as? NSNumber).intValue
            for offset in [0, size / 2, size - 1] {
                let flipped = try copy(bundle, in: ward)
                let path = (flipped as NSString).appendingPathComponent(file)
                var data = try Data(contentsOf: URL(fileURLWithPath: path))
                data[offset] ^= 0x01
                try data.write(to: URL(fileURLWithPath: path))
                let result = try verify(ward, flipped)
                #expect(result.status == 1, "flipped byte \(offset) of \(file): \(result.standardOutput)")
                #expect(result.standardError.contains(file), "flipped byte \(offset) of \(file): \(result.standardError)")
                try FileManager.default.removeItem(atPath: flipped)
            }

            let deleted = try copy(bundle, in: ward)
            try FileManager.default.removeItem(atPath: (deleted as NSString).appendingPathComponent(file))
            let missing = try verify(ward, deleted)
            #expect(missing.status == 1 && missing.standardError.contains("\(file): missing"), "deleted \(file): \(missing.standardError)")
            try FileManager.default.removeItem(atPath: deleted)
        }
    }

    @Test("an added file, an edited manifest and an edited custody line each fail verify naming the file", arguments: [
        ("add", "notes.txt", "notes.txt: not listed in manifest.json"),
        ("add", "stills/event-9.jpg", "stills/event-9.jpg: not listed in manifest.json"),
        ("edit", "manifest.json", "manifest.json: signature does not match"),
        ("edit", "custody.jsonl", "custody.jsonl: line 1: signature does not match"),
    ])
    func tampering(action: String, file: String, expected: String) throws {
        let ward = try Self.shared.get()
        let bundle = try copy(try exportEvents(ward), in: ward)
        let path = (bundle as NSString).appendingPathComponent(file)
        switch action {
        case "add":
            try Data("added later".utf8).write(to: URL(fileURLWithPath: path))
        default:
            // An edit a person would make: change a value, keep the file well-formed.
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let edited = file == "manifest.json"
                ? text.replacingOccurrences(of: "\"size\" : ", with: "\"size\" : 1")
                : text.replacingOccurrences(of: "request 42/CAT", with: "request 43/CAT")
            #expect(edited != text)
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let result = try verify(ward, bundle)
        #expect(result.status == 1)
        #expect(result.standardError.contains(expected), "\(result.standardError)")
    }

    @Test("--key: the signer's PEM, base64 or fingerprint passes; another ward's key fails")
    func trustedKey() throws {
        let ward = try Self.shared.get()
        let bundle = try exportEvents(ward)
        let shown = try ward.run(["keys", "show", "--key-file", ward.key])
        #expect(shown.status == 0)
        #expect(!shown.standardOutput.contains("PRIVATE"))
        let pem = ward.folder.path("ward-public.pem")
        try shown.standardOutput.write(toFile: pem, atomically: true, encoding: .utf8)
        let fingerprint = try #require(shown.standardOutput.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        for key in [pem, fingerprint, bundle + "/public-key.pem"] {
            let result = try verify(ward, bundle, key: key)
            #expect(result.status == 0, "\(key): \(result.standardError)")
            #expect(result.standardOutput.contains("signed by the given key"))
        }

        let other = ward.folder.path("other-\(UUID().uuidString).key")
        #expect(try ward.run(["keys", "generate", "--key-file", other]).status == 0)
        let otherPEM = ward.folder.path("other-\(UUID().uuidString).pem")
        try ward.run(["keys", "show", "--key-file", other]).standardOutput.write(toFile: otherPEM, atomically: true, encoding: .utf8)
        let refused = try verify(ward, bundle, key: otherPEM)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("manifest.json: signed by key \(fingerprint), not by the given key"))
    }

    @Test("keys generate: mode 0600, never overwrites, config default path")
    func keysGenerate() throws {
        let ward = try Self.shared.get()
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: ward.key)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue == 0o600)
        let before = try Data(contentsOf: URL(fileURLWithPath: ward.key))
        let again = try ward.run(["keys", "generate", "--key-file", ward.key])
        #expect(again.status == 1 && again.standardError.contains("exists already"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: ward.key)) == before)

        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let config = folder.path("ward.yaml")
        try "evidence:\n  signing_key: keys/ward.key\n".write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.path("keys"), withIntermediateDirectories: true)
        #expect(try Subprocess.wardwatch(["keys", "generate", "--config", config]).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path("keys/ward.key")))
        let plain = try Subprocess.wardwatch(["keys", "generate"], directory: folder.url)
        #expect(plain.status == 0 && FileManager.default.fileExists(atPath: folder.path("wardwatch-signing.key")))
    }

    @Test("zip output verifies; a changed member fails; hand-offs append to folder and zip bundles and stay verifiable")
    func zipAndHandoffs() throws {
        let ward = try Self.shared.get()
        let zip = ward.folder.path("case-zip-\(UUID().uuidString).zip")
        let exported = try ward.export(["--camera", "CAM01", "--from", "2024-07-10T08:30:12Z", "--to", "2024-07-10T08:30:26Z"],
                                       case: "CASE-ZIP", out: zip)
        #expect(exported.status == 0, "\(exported.standardError)")
        let verified = try verify(ward, zip, key: ward.folder.path("zip-public.pem").withKey(from: ward))
        #expect(verified.status == 0, "\(verified.standardError)")

        for bundle in [zip, try exportEvents(ward, case: "CASE-ZIP")] {
            let handed = try ward.run(["custody", "append", bundle, "--catalog", ward.catalog, "--key-file", ward.key,
                                       "--by", "Trung úy Lan", "--to", "Đại úy Minh", "--reason", "for the prosecutor"])
            #expect(handed.status == 0, "\(handed.standardError)")
            let again = try verify(ward, bundle)
            #expect(again.status == 0, "\(again.standardError)")
            #expect(again.standardOutput.contains("custody log of 2 entries (1 hand-offs)"))
        }
        let custody = try ward.run(["custody", "list", "--catalog", ward.catalog, "--case", "CASE-ZIP", "--format", "json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(custody.standardOutput.utf8)) as? [String: Any])
        let actions = (listed["records"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
        #expect(actions == ["export", "export", "handoff", "handoff"])

        // A zip whose member changed: rebuild it with one still altered.
        let unpacked = ward.folder.path("unpacked-\(UUID().uuidString)")
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: zip), to: URL(fileURLWithPath: unpacked))
        let top = try #require(try FileManager.default.contentsOfDirectory(atPath: unpacked).first)
        let root = (unpacked as NSString).appendingPathComponent(top)
        #expect(try verify(ward, root).status == 0, "the unzipped folder verifies too")
        let still = try #require(try bundleFiles(root).first { $0.hasPrefix("stills/") })
        let stillPath = (root as NSString).appendingPathComponent(still)
        var data = try Data(contentsOf: URL(fileURLWithPath: stillPath))
        data[data.count / 3] ^= 0x10
        try data.write(to: URL(fileURLWithPath: stillPath))
        let rezipped = ward.folder.path("rezipped-\(UUID().uuidString).zip")
        try FileManager.default.zipItem(at: URL(fileURLWithPath: root), to: URL(fileURLWithPath: rezipped))
        let broken = try verify(ward, rezipped)
        #expect(broken.status == 1 && broken.standardError.contains("\(still): SHA-256 differs from manifest"),
                "\(broken.standardError)")

        // A hand-off is refused on a bundle that does not verify.
        let refused = try ward.run(["custody", "append", rezipped, "--key-file", ward.key, "--by", "a", "--to", "b",
                                    "--reason", "c", "--catalog", ward.catalog])
        #expect(refused.status == 1 && refused.standardError.contains("does not verify"))
    }

    @Test("custody lines cannot be removed from the middle, reordered or taken from another bundle")
    func custodyChain() throws {
        let ward = try Self.shared.get()
        let bundle = try exportEvents(ward, case: "CASE-CHAIN")
        for recipient in ["Đại úy Minh", "Viện kiểm sát"] {
            let handed = try ward.run(["custody", "append", bundle, "--key-file", ward.key, "--by", "Trung úy Lan",
                                       "--to", recipient, "--reason", "hand-off", "--catalog", ward.folder.path("none.sqlite")])
            #expect(handed.status == 0, "\(handed.standardError)")
            #expect(handed.standardError.contains("recorded in the bundle only"))
        }
        let log = bundle + "/custody.jsonl"
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let other = try exportEvents(ward, case: "CASE-CHAIN")
        let foreign = try String(contentsOfFile: other + "/custody.jsonl", encoding: .utf8)
        for (edited, expected) in [
            ([lines[0], lines[2]], "custody.jsonl: line 2:"),
            ([lines[0], lines[2], lines[1]], "custody.jsonl: line 2:"),
            ([foreign.trimmingCharacters(in: .newlines), lines[1], lines[2]], "custody.jsonl: line 1: belongs to another manifest"),
        ] {
            let copied = try copy(bundle, in: ward)
            try (edited.joined(separator: "\n") + "\n").write(toFile: copied + "/custody.jsonl", atomically: true, encoding: .utf8)
            let result = try verify(ward, copied)
            #expect(result.status == 1 && result.standardError.contains(expected), "\(result.standardError)")
        }
        // Cutting the newest line off leaves a valid shorter log; the catalog's records are the copy to compare with.
        let cut = try copy(bundle, in: ward)
        try (lines.prefix(2).joined(separator: "\n") + "\n").write(toFile: cut + "/custody.jsonl", atomically: true, encoding: .utf8)
        #expect(try verify(ward, cut).status == 0)
    }

    @Test("export refuses an output inside the recordings folder, an existing output, and unknown events; nothing is written")
    func refusals() throws {
        let ward = try Self.shared.get()
        let listing = try FileManager.default.contentsOfDirectory(atPath: ward.recordings).sorted()
        let inside = try ward.export(["--event", "1"], out: ward.recordings + "/bundle")
        #expect(inside.status == 1 && inside.standardError.contains("inside the recordings folder"), "\(inside.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ward.recordings).sorted() == listing)

        let existing = ward.folder.path("existing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: existing + "/keep.txt"))
        let occupied = try ward.export(["--event", "1"], out: existing)
        #expect(occupied.status == 1 && occupied.standardError.contains("exists already"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: existing) == ["keep.txt"])

        let unknown = try ward.export(["--event", "999"], out: ward.folder.path("unknown"))
        #expect(unknown.status == 1 && unknown.standardError.contains("event 999: not in the catalog"))
        #expect(!FileManager.default.fileExists(atPath: ward.folder.path("unknown")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ward.folder.url.path).filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty, "\(leftovers)")

        let usage = try ward.run(["export", "--catalog", ward.catalog, "--event", "1", "--case", "C", "--out", "x"])
        #expect(usage.status == 64, "--reason is required")
        let both = try ward.export(["--event", "1", "--camera", "CAM01"], out: ward.folder.path("both"))
        #expect(both.status == 64)
    }
}

extension String {
    /// Writes `keys show` of the ward's key to this path and returns the path.
    func withKey(from ward: EvidenceWard) throws -> String {
        try ward.run(["keys", "show", "--key-file", ward.key]).standardOutput.write(toFile: self, atomically: true, encoding: .utf8)
        return self
    }
}
