import Foundation
import TestSupport
import Testing

/// The sample ward: the shipped registry, with alert logs in a temporary folder, and the sample
/// recordings indexed on the cameras the demo uses.
struct SampleWard {
    let folder = TemporaryDirectory("wardwatch-incidents")
    let config: String
    let catalog: String
    static let samples = SampleRecordings.packageRoot.appendingPathComponent("Samples")
    static let contacts = ["0912 345 678", "0987 654 321", "0243 825 0000", "Trần Thị C", "tip-0005@example.vn", "0904 111 222"]

    init(index recordings: [(String, String)] = SampleWard.demo) throws {
        let shipped = try String(contentsOf: SampleRecordings.packageRoot.appendingPathComponent("Config/wardwatch.yaml"), encoding: .utf8)
        config = folder.path("ward.yaml")
        catalog = folder.path("ward.sqlite")
        try shipped.replacingOccurrences(of: "../out/", with: folder.path("out") + "/").write(toFile: config, atomically: true, encoding: .utf8)
        for (camera, file) in recordings { try index(camera, file) }
    }

    static let demo = [("CAM01", "street_1080p_h264.mp4"), ("CAM04", "street_720p_hevc.mp4"), ("CAM08", "street_vfr.mp4"),
                       ("CAM10", "static_noisy_720p.mp4"), ("CAM07", "CAM07_20240710_153000.mp4")]

    func index(_ camera: String, _ file: String) throws {
        let result = try run(["index", "--camera", camera, SampleRecordings.url(file).path])
        #expect(result.status == 0, "\(file): \(result.standardError)")
    }

    func run(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.wardwatch(arguments + ["--config", config, "--catalog", catalog], directory: folder.url)
    }

    func sample(_ name: String) -> String { Self.samples.appendingPathComponent(name).path }

    func show(_ incident: String) throws -> [String: Any] {
        let result = try run(["incident", "show", incident, "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    func importAll() throws -> [Subprocess.Result] {
        try [("incidents", "incidents.csv"), ("incidents", "incidents.json"), ("tips", "tips.csv"), ("tips", "tips.json")].map {
            let result = try run(["import", $0.0, sample($0.1)])
            #expect(result.status == 0, "\($0.1): \(result.standardError)")
            return result
        }
    }
}

@Suite("wardwatch import, incident show, link: the samples end to end", .serialized)
struct IncidentCommandTests {
    /// For each sample incident that should link: the camera and the truth start (local) of the
    /// event that must rank first (Samples/generate.sh: what moves when in each sample).
    static let expected: [String: (String, String)] = [
        "INC-2024-0710-001": ("CAM07", "2024-07-10T15:30:03"), // the only motion on the corner's camera
        "INC-2024-0710-002": ("CAM01", "2024-07-10T15:30:22"), // the car at 22-30 s, around 15:30:26
        "INC-2024-0710-003": ("CAM08", "2024-07-10T20:00:24"), // the car at 24-28 s, around 20:00:25
        "INC-2024-0711-004": ("CAM04", "2024-07-11T16:00:03"), // the car at 3-8 s, around 16:00:05
        "INC-2024-0710-008": ("CAM07", "2024-07-10T15:30:03"), // Hàng Gai: CAM05 and CAM07, only CAM07 recorded then
        "INC-2024-0711-010": ("CAM04", "2024-07-11T16:00:22"), // the person at 22-27 s, around 16:00:24
    ]
    static let unrelated = ["INC-2024-0712-005", "INC-2024-0710-006", "INC-2024-0710-007", "INC-2024-0710-009"]

    static func seconds(_ local: String) -> Double {
        Double(String(local.prefix(19).suffix(2)))! + 60 * Double(String(local.prefix(16).suffix(2)))!
    }

    @Test("each sample incident's expected event ranks first; unrelated ones link to nothing; a corner-only tip finds its camera")
    func samples() throws {
        let ward = try SampleWard()
        defer { ward.folder.remove() }
        let imports = try ward.importAll()
        #expect(imports[0].standardOutput.contains("unresolved: INC-2024-0710-006: chợ Đồng Xuân"))
        #expect(imports[2].standardOutput.contains("unresolved: TIP-0004: gần hồ Gươm"))
        for (incident, (camera, start)) in Self.expected {
            let links = try #require(try ward.show(incident)["links"] as? [[String: Any]], "\(incident)")
            let first = try #require(links.first, "\(incident) has no links")
            #expect(first["camera"] as? String == camera, "\(incident)")
            let got = first["start"] as? String ?? ""
            #expect(got.hasPrefix(String(start.prefix(16))) && abs(Self.seconds(got) - Self.seconds(start)) <= 1,
                    "\(incident): first link starts \(got), expected about \(start)")
            #expect(FileManager.default.fileExists(atPath: first["still"] as? String ?? ""), "\(incident): still")
        }
        for incident in Self.unrelated {
            #expect((try ward.show(incident)["links"] as? [Any])?.isEmpty == true, "\(incident) should link to nothing")
        }
        let tips = try ward.run(["tips", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(tips.standardOutput.utf8)) as? [[String: Any]])
        let corner = try #require(rows.first { $0["reference"] as? String == "TIP-0001" })
        #expect((corner["place"] as? [String: Any])?.keys.sorted() == ["text"])
        let resolution = try #require(corner["resolution"] as? [String: Any])
        #expect(resolution["precision"] as? String == "intersection" && resolution["cameras"] as? [String] == ["CAM01"])
        #expect(rows.first { $0["reference"] as? String == "TIP-0004" }?["unresolved"] as? Bool == true)
    }

    @Test("re-importing changes nothing; a confirmed link survives a changed report; contacts stay out of output, alerts and CSV")
    func reimportDecisionsAndContacts() throws {
        let ward = try SampleWard(index: [("CAM01", "street_1080p_h264.mp4"), ("CAM07", "CAM07_20240710_153000.mp4")])
        defer { ward.folder.remove() }
        _ = try ward.importAll()
        let before = try ward.show("INC-2024-0710-002")
        let again = try ward.run(["import", "incidents", ward.sample("incidents.csv")])
        #expect(again.standardOutput.contains("incidents: 0 inserted, 0 updated, 7 unchanged; 0 new links"), "\(again.standardOutput)")
        #expect(NSDictionary(dictionary: try ward.show("INC-2024-0710-002")) == NSDictionary(dictionary: before))

        let links = try #require(before["links"] as? [[String: Any]])
        let best = try #require(links.first?["event"] as? Int), other = try #require(links.last?["event"] as? Int)
        let confirm = try ward.run(["link", "confirm", "INC-2024-0710-002", String(best), "--by", "Lê Văn An"])
        #expect(confirm.status == 0, "\(confirm.standardError)")
        #expect(try ward.run(["link", "reject", "INC-2024-0710-002", String(other)]).status == 0)
        #expect(try ward.run(["link", "confirm", "INC-2024-0710-002", "99999"]).status == 64)

        // Evidence for the incident: its confirmed event only (or every link not rejected), with no contact in it.
        let key = ward.folder.path("ward.key")
        #expect(try ward.run(["keys", "generate", "--key-file", key]).status == 0)
        let bundle = ward.folder.path("case-002")
        let exported = try ward.run(["export", "--incident", "INC-2024-0710-002", "--case", "CA-1", "--reason", "test",
                                     "--out", bundle, "--key-file", key])
        #expect(exported.status == 0 && exported.standardOutput.contains(" 1 events on legal hold"), "\(exported.standardOutput)\(exported.standardError)")
        let verified = try Subprocess.wardwatch(["verify", bundle])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
        for file in try FileManager.default.subpathsOfDirectory(atPath: bundle) {
            let bytes = FileManager.default.contents(atPath: (bundle as NSString).appendingPathComponent(file)) ?? Data()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!SampleWard.contacts.contains { text.contains($0) }, "\(file)")
        }
        let wider = try ward.run(["export", "--incident", "INC-2024-0710-002", "--include-suggested", "--case", "CA-1",
                                  "--reason", "test", "--out", ward.folder.path("case-002b"), "--key-file", key])
        #expect(wider.status == 0 && wider.standardOutput.contains(" \(links.count - 1) events on legal hold"), "\(wider.standardOutput)")
        #expect(try ward.run(["export", "--incident", "INC-2024-0712-005", "--case", "CA-1", "--reason", "test",
                              "--out", ward.folder.path("none"), "--key-file", key]).status == 64)

        // The incident's time moves a day later: no event qualifies, but both decisions stay.
        let moved = ward.folder.path("moved.csv")
        try String(contentsOfFile: ward.sample("incidents.csv"), encoding: .utf8)
            .replacingOccurrences(of: ",2024-07-10 15:30:26,", with: ",2024-07-11 15:30:26,").write(toFile: moved, atomically: true, encoding: .utf8)
        let changed = try ward.run(["import", "incidents", moved])
        #expect(changed.standardOutput.contains("incidents: 0 inserted, 1 updated, 6 unchanged"), "\(changed.standardOutput)")
        let after = try #require(try ward.show("INC-2024-0710-002")["links"] as? [[String: Any]])
        #expect(after.count == 2)
        #expect(after.first { $0["event"] as? Int == best }?["state"] as? String == "confirmed")
        #expect(after.first { $0["event"] as? Int == best }?["decided_by"] as? String == "Lê Văn An")
        #expect(after.first { $0["event"] as? Int == other }?["state"] as? String == "rejected")

        // Contacts: never without --show-contacts, never in CSV or alert lines; shown and audited with it.
        var plain = ""
        for arguments in [["tips"], ["tips", "--format", "json"], ["tips", "--format", "csv"], ["incident", "show", "INC-2024-0710-002"],
                          ["incident", "show", "INC-2024-0710-001", "--format", "json"], ["incidents", "--format", "json"]] {
            let result = try ward.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            plain += result.standardOutput + result.standardError
        }
        #expect(!SampleWard.contacts.contains { plain.contains($0) })
        let alerts = try String(contentsOfFile: ward.folder.path("out/alerts/incident-links.jsonl"), encoding: .utf8)
        #expect(alerts.split(separator: "\n").count >= 3 && alerts.contains("\"kind\":\"incident.link\""))
        #expect(!SampleWard.contacts.contains { alerts.contains($0) })
        #expect(try ward.run(["tips", "--format", "csv", "--show-contacts"]).status == 64)
        let shown = try ward.run(["tips", "--show-contacts"])
        #expect(SampleWard.contacts.allSatisfy { shown.standardOutput.contains($0) })
        let audit = try ward.run(["audit", "list", "--action", "tips.contacts", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [Any])?.count == 1)
    }

    @Test("a file with one bad row imports nothing and names the row; footage indexed later links incrementally")
    func badRowAndIncremental() throws {
        let ward = try SampleWard(index: [])
        defer { ward.folder.remove() }
        let bad = ward.folder.path("bad.csv")
        try String(contentsOfFile: ward.sample("incidents.csv"), encoding: .utf8)
            .replacingOccurrences(of: "2024-07-10 20:00:25", with: "2024-07-10 20:61").write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try ward.run(["import", "incidents", bad])
        #expect(result.status == 1)
        #expect(result.standardError.contains("wardwatch: \(bad):4: row 3: occurred_at: '2024-07-10 20:61' is not an ISO 8601 time"),
                "\(result.standardError)")
        #expect(result.standardError.contains("nothing imported"))
        let listed = try ward.run(["incidents", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [Any])?.isEmpty == true)

        // Reports first, footage afterwards: indexing links the reports the new recording concerns.
        #expect(try ward.run(["import", "incidents", ward.sample("incidents.csv")]).status == 0)
        #expect((try ward.show("INC-2024-0710-001")["links"] as? [Any])?.isEmpty == true)
        try ward.index("CAM07", "CAM07_20240710_153000.mp4")
        let links = try #require(try ward.show("INC-2024-0710-001")["links"] as? [[String: Any]])
        #expect(links.count == 1 && links.first?["camera"] as? String == "CAM07")
        #expect((try ward.show("INC-2024-0710-003")["links"] as? [Any])?.isEmpty == true)
        let search = try ward.run(["incidents", "--text", "giat tui", "--format", "json"])
        #expect(search.standardOutput.contains("INC-2024-0710-001") && !search.standardOutput.contains("INC-2024-0710-002"))
    }
}
