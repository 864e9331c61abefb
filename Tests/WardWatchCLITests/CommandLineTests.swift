import Foundation
import TestSupport
import Testing

/// Runs the built binary in `folder` and decodes its JSON output.
func json(_ result: Subprocess.Result) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
}

func eventsJSON(catalog: String, folder: TemporaryDirectory) throws -> [[String: Any]] {
    let listed = try Subprocess.wardwatch(["events", "--catalog", catalog, "--format", "json"], directory: folder.url)
    #expect(listed.status == 0, "events failed: \(listed.standardError)")
    return try #require(try json(listed) as? [[String: Any]])
}

@Suite("wardwatch binary, end to end", .serialized)
struct CommandLineTests {
    /// The bad inputs the issue names, made in `folder`.
    static func badInputs(in folder: TemporaryDirectory) throws -> [(path: String, reason: String)] {
        let empty = folder.path("zero.mp4")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let text = folder.path("notes.mp4")
        try "Biên bản: không phải video\n".write(toFile: text, atomically: true, encoding: .utf8)
        // Cut the (fast-start) 1080p sample in half: the header promises 60 s, the data stops near 30 s.
        let whole = try Data(contentsOf: SampleRecordings.url("street_1080p_h264.mp4"))
        let truncated = folder.path("truncated.mp4")
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncated))
        return [
            (folder.path("missing.mp4"), "file not found"),
            (empty, "empty"),
            (text, "not a recording"),
            (truncated, "truncated"),
            (SampleRecordings.url("no_video.m4a").path, "no video stream"),
        ]
    }

    @Test("each bad input: exit 1, one line on stderr naming the file and reason, nothing committed")
    func badInputsAlone() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for (path, reason) in try Self.badInputs(in: folder) {
            let catalog = folder.path("alone.sqlite")
            let result = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", catalog, path],
                                                  directory: folder.url)
            #expect(result.status == 1, "\(path): status \(result.status)")
            let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(lines.count == 1, "\(path): stderr was \(result.standardError)")
            #expect(lines.first?.contains("'\(path)'") == true && lines.first?.contains(reason) == true,
                    "\(path): \(lines.first ?? "")")
            #expect(try eventsJSON(catalog: catalog, folder: folder).isEmpty)
        }
    }

    @Test("bad inputs do not stop the good files of the same command")
    func badAmongGood() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let bad = try Self.badInputs(in: folder)
        let good = SampleRecordings.url("CAM07_20240710_153000.mp4").path
        let catalog = folder.path("mixed.sqlite")
        let arguments = ["index", "--camera", "CAM07", "--catalog", catalog, "--format", "json"]
            + [bad[0].path, bad[1].path, good, bad[2].path, bad[3].path, bad[4].path]
        let result = try Subprocess.wardwatch(arguments, directory: folder.url)
        #expect(result.status == 1)
        #expect(result.standardError.split(separator: "\n").count == bad.count)
        #expect(!result.standardError.contains("\r"), "no progress bar without a terminal")
        let rows = try #require(try json(result) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["status"] as? String == "indexed")
        let events = try eventsJSON(catalog: catalog, folder: folder)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { ($0["recording_path"] as? String)?.hasSuffix("CAM07_20240710_153000.mp4") == true })
    }

    @Test("probe --format json names the start and where it came from")
    func probeJSON() throws {
        let result = try Subprocess.wardwatch(["probe", "--format", "json",
                                               SampleRecordings.url("street_1080p_h264.mp4").path,
                                               SampleRecordings.url("CAM07_20240710_153000.mp4").path])
        #expect(result.status == 0, "\(result.standardError)")
        let reports = try #require(try json(result) as? [[String: Any]])
        #expect(reports.count == 2)
        for key in ["path", "format", "duration_s", "start", "start_source", "video", "location"] {
            #expect(reports[0].keys.contains(key), "missing \(key)")
        }
        let video = try #require(reports[0]["video"] as? [String: Any])
        for key in ["codec", "width", "height", "fps", "keyframe_interval_s"] { #expect(video.keys.contains(key), "missing video.\(key)") }
        #expect(reports[0]["start"] as? String == "2024-07-10T08:30:00.000Z")
        #expect(reports[0]["start_source"] as? String == "container")
        let location = try #require(reports[0]["location"] as? [String: Any])
        #expect(location["latitude"] as? Double == 21.0285)
        #expect(reports[1]["start_source"] as? String == "filename")
        #expect(reports[1]["start"] as? String == "2024-07-10T08:30:00.000Z")
    }

    @Test("events: JSON keys, CSV header, time filters, and usage errors exit 64")
    func eventsOutput() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let catalog = folder.path("events.sqlite")
        let indexed = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", catalog,
                                                SampleRecordings.url("street_1080p_h264.mp4").path], directory: folder.url)
        #expect(indexed.status == 0, "\(indexed.standardError)")
        let events = try eventsJSON(catalog: catalog, folder: folder)
        #expect(events.count >= 4)
        for key in ["id", "camera", "recording", "start", "end", "score", "area", "bbox", "still"] {
            #expect(events.first?.keys.contains(key) == true, "missing \(key)")
        }
        let still = try #require(events.first?["still"] as? String)
        #expect(FileManager.default.fileExists(atPath: still))

        // Events overlapping 08:30:20Z–08:30:35Z: only the car at 22–30 s.
        let window = try Subprocess.wardwatch(["events", "--catalog", catalog, "--format", "json",
                                               "--from", "2024-07-10T15:30:20+07:00", "--to", "2024-07-10T08:30:35Z"],
                                              directory: folder.url)
        let windowed = try #require(try json(window) as? [[String: Any]])
        #expect(windowed.count == 1)

        let csv = try Subprocess.wardwatch(["events", "--catalog", catalog, "--format", "csv", "--camera", "CAM01"],
                                           directory: folder.url)
        #expect(csv.standardOutput.hasPrefix("id,camera,recording,recording_path,start,end,"))
        #expect(csv.standardOutput.split(separator: "\r\n").count == events.count + 1)

        let bad = try Subprocess.wardwatch(["events", "--catalog", catalog, "--from", "last tuesday"], directory: folder.url)
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("--from 'last tuesday' is not an ISO 8601 time"))
    }

    @Test("a broken configuration file stops the command with file, line and key")
    func brokenConfiguration() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let config = folder.path("ward.yaml")
        try "detection:\n  sensitivity: 3\n  min_aera: 0.01\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try Subprocess.wardwatch(["events", "--config", config, "--catalog", folder.path("c.sqlite")],
                                              directory: folder.url)
        #expect(result.status != 0)
        #expect(result.standardError.contains("\(config):3: detection.min_aera: unknown key"))
    }

    @Test("config check: exit 0 with a summary when valid; exit 1 with one line per problem")
    func configCheck() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("cam1"), withIntermediateDirectories: true)
        let good = folder.path("good.yaml")
        try "cameras:\n  - id: CAM01\n    folder: cam1\n".write(toFile: good, atomically: true, encoding: .utf8)
        let ok = try Subprocess.wardwatch(["config", "check", "--config", good])
        #expect(ok.status == 0)
        #expect(ok.standardOutput.contains("OK — 1 cameras"))

        let bad = folder.path("bad.yaml")
        try "cameras:\n  - id: CAM01\n    folder: nowhere\n    longitude: 400\n    latitude: 1\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let failed = try Subprocess.wardwatch(["config", "check", "--config", bad])
        #expect(failed.status == 1)
        let lines = failed.standardError.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(bad):3: cameras[0].folder: folder '\(folder.path("nowhere"))' does not exist",
            "\(bad):4: cameras[0].longitude: must be from -180 to 180 (got 400.0)",
        ], "\(lines)")
    }

    @Test("a recording that spans midnight: its event is found from either day, in local time")
    func acrossMidnight() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        // Local 23:59:55 (+07:00) from the file name; the sample's motion is at 3–6 s, across midnight.
        let file = folder.path("CAM07_20240710_235955.mp4")
        try FileManager.default.copyItem(atPath: SampleRecordings.url("CAM07_20240710_153000.mp4").path, toPath: file)
        let catalog = folder.path("night.sqlite")
        let indexed = try Subprocess.wardwatch(["index", "--camera", "CAM07", "--catalog", catalog, file], directory: folder.url)
        #expect(indexed.status == 0, "\(indexed.standardError)")
        for (from, to) in [("2024-07-10 23:00", "2024-07-10 23:59:59"), ("2024-07-11 00:00", "2024-07-11 01:00")] {
            let listed = try Subprocess.wardwatch(["events", "--catalog", catalog, "--format", "json", "--from", from, "--to", to],
                                                  directory: folder.url)
            let events = try #require(try json(listed) as? [[String: Any]])
            #expect(events.count == 1, "\(from)–\(to): \(events)")
            #expect((events.first?["start_local"] as? String)?.hasPrefix("2024-07-10T23:59:58") == true)
            // The motion ends 6 s into the file (17:00:01Z), give or take the detector's half-second.
            let end = (events.first?["end"] as? String) ?? ""
            #expect(end.hasPrefix("2024-07-10T17:00:00.") || end.hasPrefix("2024-07-10T17:00:01."), "end \(end)")
        }
    }

    @Test("search: by street without diacritics, GeoJSON points at the camera, JSON with a playback pointer")
    func searchOutput() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let config = folder.path("ward.yaml")
        try """
            cameras:
              - {id: CAM02, ward: Phường Hàng Trống, street: số 12 Hàng Trống, latitude: 21.02791, longitude: 105.85048}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let catalog = folder.path("s.sqlite")
        let indexed = try Subprocess.wardwatch(["index", "--config", config, "--catalog", catalog, "--camera", "CAM02",
                                                SampleRecordings.url("street_720p_hevc.mp4").path], directory: folder.url)
        #expect(indexed.status == 0, "\(indexed.standardError)")
        let geo = try Subprocess.wardwatch(["search", "--config", config, "--catalog", catalog, "--street", "hang trong",
                                            "--format", "geojson"], directory: folder.url)
        let collection = try #require(try json(geo) as? [String: Any])
        #expect(collection["type"] as? String == "FeatureCollection")
        let features = try #require(collection["features"] as? [[String: Any]])
        #expect(features.count == 3)
        let geometry = try #require(features.first?["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "Point")
        #expect(geometry["coordinates"] as? [Double] == [105.85048, 21.02791])

        let page = try Subprocess.wardwatch(["search", "--config", config, "--catalog", catalog, "--ward", "PHUONG HANG",
                                             "--format", "json", "--limit", "2"], directory: folder.url)
        let output = try #require(try json(page) as? [String: Any])
        let events = try #require(output["events"] as? [[String: Any]])
        #expect(events.count == 2 && output["next_cursor"] is String)
        let playback = try #require(events.first?["playback"] as? [String: Any])
        #expect((playback["path"] as? String)?.hasSuffix("street_720p_hevc.mp4") == true)
        #expect(playback["offset_s"] as? Double != nil)

        let none = try Subprocess.wardwatch(["search", "--config", config, "--catalog", catalog, "--street", "le loi",
                                             "--format", "json"], directory: folder.url)
        #expect((try json(none) as? [String: Any])?["events"] as? [Any] != nil)
        let bad = try Subprocess.wardwatch(["search", "--config", config, "--catalog", catalog, "--near", "north"],
                                           directory: folder.url)
        #expect(bad.status == 64 && bad.standardError.contains("--near 'north' is not lat,lon"))
    }

    @Test("wardwatch-bench search generates a small synthetic catalog and reports four query shapes; wardwatch has no bench")
    func benchSearch() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let gone = try Subprocess.wardwatch(["bench", "search", "--catalog", folder.path("x.sqlite")])
        #expect(gone.status != 0)
        let result = try Subprocess.wardwatchBench(["search", "--catalog", folder.path("syn.sqlite"), "--generate",
                                               "--cameras", "12", "--days", "2", "--queries", "5", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = String(result.standardOutput.drop { $0 != "[" })
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["query"] as? String } == ["street + 24 h", "ward + 7 days", "500 m radius + 2 h", "camera + 1 h"])
        #expect(rows.allSatisfy { ($0["p99_ms"] as? Double ?? -1) >= ($0["p50_ms"] as? Double ?? 0) })
        #expect((rows.first?["mean_results"] as? Double ?? 0) > 0)
    }

    @Test("users add prints a token once; searches are audited; audit verify passes on an intact trail")
    func usersAndAudit() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let catalog = folder.path("a.sqlite")
        let added = try Subprocess.wardwatch(["users", "add", "lan", "--role", "viewer", "--ward", "Phường Hàng Trống",
                                              "--catalog", catalog])
        #expect(added.status == 0, "\(added.standardError)")
        let token = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("ww_"))
        let listed = try Subprocess.wardwatch(["users", "list", "--catalog", catalog])
        #expect(listed.standardOutput.contains("lan") && listed.standardOutput.contains("viewer"))
        #expect(!listed.standardOutput.contains(token))
        let bad = try Subprocess.wardwatch(["users", "add", "x", "--role", "chief", "--catalog", catalog])
        #expect(bad.status == 64)

        _ = try Subprocess.wardwatch(["search", "--catalog", catalog, "--street", "hang trong", "--format", "json"])
        let trail = try Subprocess.wardwatch(["audit", "list", "--catalog", catalog, "--format", "json"])
        let entries = try #require(try json(trail) as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String } == ["users.add", "search"])
        #expect((entries.last?["query"] as? String)?.contains("hang trong") == true)
        let verified = try Subprocess.wardwatch(["audit", "verify", "--catalog", catalog])
        #expect(verified.status == 0 && verified.standardOutput.contains("intact: 2 entries"))
        #expect(try Subprocess.wardwatch(["users", "revoke", "nobody", "--catalog", catalog]).status == 64)
    }
}
